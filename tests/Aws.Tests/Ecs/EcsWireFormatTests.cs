using System.Text.Json;
using Mirage.Aws.Ecs.Wire;

namespace Mirage.Aws.Tests.Ecs;

/// <summary>Shapes moto does not produce (it sends no task timestamps), read from ECS-shaped JSON.</summary>
/// <remarks>The status literals here are ECS's wire spelling on purpose, not <c>EcsTaskStatus</c>: these tests pin the JSON.</remarks>
public sealed class EcsWireFormatTests
{
    [Fact]
    public void Task_timestamps_are_epoch_seconds_with_a_fraction()
    {
        const string json = """
            {"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/c/0123","createdAt":1700000000.123,"startedAt":1700000005,
              "lastStatus":"RUNNING","attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-1"},{"name":"privateIPv4Address","value":"10.0.1.5"}]}]}],
             "failures":[]}
            """;

        var response = JsonSerializer.Deserialize(json, EcsJsonContext.Default.DescribeTasksResponse)!;

        var task = Assert.Single(response.Tasks!);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), task.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_005), task.StartedAt);
        Assert.Null(task.StoppedAt);
        Assert.Equal("10.0.1.5", task.PrivateIpv4Address);
    }

    [Fact]
    public void A_RunTask_request_is_written_with_the_API_field_names_and_no_nulls()
    {
        var request = new RunTaskRequest
        {
            Cluster = "c",
            TaskDefinition = "web:3",
            CapacityProviderStrategy = [new EcsCapacityProviderStrategyItem("FARGATE_SPOT", 1)],
            NetworkConfiguration = new EcsNetworkConfiguration(new EcsAwsVpcConfiguration { Subnets = ["subnet-1"], SecurityGroups = ["sg-1"], AssignPublicIp = "ENABLED" }),
            EnableExecuteCommand = true,
            ClientToken = "tok",
        };

        var json = JsonSerializer.Serialize(request, EcsJsonContext.Default.RunTaskRequest);

        Assert.Equal(
            """{"cluster":"c","taskDefinition":"web:3","count":1,"capacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}],"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"],"securityGroups":["sg-1"],"assignPublicIp":"ENABLED"}},"enableExecuteCommand":true,"clientToken":"tok"}""",
            json);
    }

    [Fact]
    public void A_ListTasks_desired_status_is_written_in_upper_case()
    {
        var json = JsonSerializer.Serialize(new ListTasksRequest { Cluster = "c", DesiredStatus = EcsDesiredStatus.Stopped }, EcsJsonContext.Default.ListTasksRequest);

        Assert.Equal("""{"cluster":"c","desiredStatus":"STOPPED"}""", json);
    }
}
