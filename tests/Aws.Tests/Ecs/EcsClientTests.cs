using System.Net;
using System.Text.RegularExpressions;
using Mirage.Aws.Ecs;
using Mirage.Aws.Ecs.Wire;
using Mirage.Aws.Errors;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;

namespace Mirage.Aws.Tests.Ecs;

[Collection(MotoCollection.Name)]
public sealed class EcsClientTests(EcsScenario scenario) : IClassFixture<EcsScenario>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunTask_then_DescribeTasks_reports_tags_overrides_and_the_ENI_address()
    {
        await using var aws = new AwsClients(scenario.Moto.Endpoint);

        var run = await aws.Ecs.RunTaskAsync(scenario.RunRequest("mirage-describe", "token-describe-1", new EcsResourceTag("Subdomain", "ZmVhdHVyZS14")), Token);

        Assert.Empty(run.Failures ?? []);
        var started = Assert.Single(run.Tasks ?? []);
        var described = await aws.Ecs.DescribeTasksAsync(EcsScenario.Cluster, [started.TaskArn], Token);
        var task = Assert.Single(described.Tasks ?? []);
        Assert.Equal(started.TaskArn, task.TaskArn);
        Assert.Equal(EcsTaskStatus.Running, task.LastStatus);
        Assert.Equal("mirage-describe", task.StartedBy);
        Assert.Equal("Mirage", task.Tag("ManagedBy"));
        Assert.Equal("ZmVhdHVyZS14", task.Tag("Subdomain"));
        Assert.Equal("token-describe-1", task.Tag(EcsClient.ClientTokenTag));
        var app = Assert.Single(task.Overrides!.ContainerOverrides!, o => o.Name == "app");
        Assert.Equal("feature/x", Assert.Single(app.Environment!, e => e.Name == "GIT_BRANCH").Value);
        Assert.Matches(new Regex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"), task.PrivateIpv4Address ?? "");
        Assert.Equal(scenario.TaskDefinitionArn, task.TaskDefinitionArn);
        // moto 5.1.1 reports only the first container of the definition; real ECS reports all.
        Assert.Contains("app", (task.Containers ?? []).Select(c => c.Name));
    }

    [Fact]
    public async Task More_than_100_tasks_are_listed_across_pages_and_described_in_batches_of_100()
    {
        // moto returns every task in one page and accepts any batch size; the proxy applies ECS's real limits.
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint, enforceEcsLimits: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        for (var i = 0; i < 11; i++)
        {
            var run = await aws.Ecs.RunTaskAsync(scenario.RunRequest("mirage-bulk") with { Count = 10 }, Token);
            Assert.Equal(10, run.Tasks!.Count);
        }

        var arns = await aws.Ecs.ListTasksAsync(new ListTasksRequest { Cluster = EcsScenario.Cluster, StartedBy = "mirage-bulk", DesiredStatus = EcsDesiredStatus.Running }, Token);
        var described = await aws.Ecs.DescribeTasksAsync(EcsScenario.Cluster, arns, Token);

        Assert.Equal(110, arns.Count);
        Assert.Equal(110, arns.Distinct().Count());
        Assert.Equal(2, proxy.Count("ListTasks"));
        Assert.Equal(2, proxy.Count("DescribeTasks"));
        Assert.All(proxy.Requests.Where(r => r.Operation == "DescribeTasks"), r => Assert.Equal(200, r.Status));
        Assert.Equal(arns.Order(), described.Tasks!.Select(t => t.TaskArn).Order());
        Assert.All(described.Tasks!, t => Assert.Equal("Mirage", t.Tag("ManagedBy")));
    }

    [Fact]
    public async Task StopTask_moves_the_task_to_STOPPED_with_the_reason()
    {
        await using var aws = new AwsClients(scenario.Moto.Endpoint);
        var task = Assert.Single((await aws.Ecs.RunTaskAsync(scenario.RunRequest("mirage-stop", "token-stop-1"), Token)).Tasks!);

        var stopped = await aws.Ecs.StopTaskAsync(EcsScenario.Cluster, task.TaskArn, "Terminate requested by Mirage", Token);

        Assert.Equal(EcsTaskStatus.Stopped, stopped?.DesiredStatus);
        var after = Assert.Single((await aws.Ecs.DescribeTasksAsync(EcsScenario.Cluster, [task.TaskArn], Token)).Tasks!);
        Assert.Equal(EcsTaskStatus.Stopped, after.LastStatus);
        Assert.Equal("Terminate requested by Mirage", after.StoppedReason);
        var running = await aws.Ecs.ListTasksAsync(new ListTasksRequest { Cluster = EcsScenario.Cluster, StartedBy = "mirage-stop", DesiredStatus = EcsDesiredStatus.Running }, Token);
        Assert.DoesNotContain(task.TaskArn, running);
    }

    [Fact]
    public async Task DescribeTaskDefinition_caches_revision_ARNs_and_resolves_family_names_freshly()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);

        var byFamily = await aws.Ecs.DescribeTaskDefinitionAsync("web", Token);
        var byArn = await aws.Ecs.DescribeTaskDefinitionAsync(byFamily.TaskDefinitionArn, Token);
        var byArnAgain = await aws.Ecs.DescribeTaskDefinitionAsync(byFamily.TaskDefinitionArn, Token);
        var byFamilyAgain = await aws.Ecs.DescribeTaskDefinitionAsync("web", Token);

        Assert.Equal(scenario.TaskDefinitionArn, byFamily.TaskDefinitionArn);
        Assert.Same(byArn, byArnAgain);
        Assert.Equal("web", byArn.Family);
        Assert.Equal(["app", "sidecar"], byArn.ContainerDefinitions.Select(c => c.Name));
        Assert.Equal(80, byArn.ContainerDefinitions[0].PortMappings![0].ContainerPort);
        Assert.Equal("awslogs", byArn.ContainerDefinitions[0].LogConfiguration!.LogDriver);
        Assert.Equal("app", byArn.ContainerDefinitions[0].LogConfiguration!.Options!["awslogs-stream-prefix"]);
        // Family lookups went to ECS both times; the ARN lookups were served from the cache after the first family call.
        Assert.Equal(2, proxy.Count("DescribeTaskDefinition"));
        Assert.NotNull(byFamilyAgain);
    }

    [Fact]
    public async Task DescribeTaskDefinition_of_an_unknown_family_is_a_typed_client_error()
    {
        await using var aws = new AwsClients(scenario.Moto.Endpoint);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.DescribeTaskDefinitionAsync("no-such-family", Token));

        Assert.Equal("ECS", error.Service);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.False(string.IsNullOrEmpty(error.Code));
    }

    [Fact]
    public async Task DescribeServices_returns_the_service_network_configuration()
    {
        await scenario.Setup.EcsAsync("CreateService", new System.Text.Json.Nodes.JsonObject
        {
            ["cluster"] = EcsScenario.Cluster,
            ["serviceName"] = "mirage",
            ["taskDefinition"] = "web",
            ["desiredCount"] = 0,
            ["launchType"] = "FARGATE",
            ["networkConfiguration"] = new System.Text.Json.Nodes.JsonObject
            {
                ["awsvpcConfiguration"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["subnets"] = new System.Text.Json.Nodes.JsonArray(scenario.Network.AwsvpcConfiguration!.Subnets[0]),
                    ["securityGroups"] = new System.Text.Json.Nodes.JsonArray(scenario.Network.AwsvpcConfiguration.SecurityGroups![0]),
                    ["assignPublicIp"] = "DISABLED",
                },
            },
        }, Token);
        await using var aws = new AwsClients(scenario.Moto.Endpoint);

        var response = await aws.Ecs.DescribeServicesAsync(EcsScenario.Cluster, ["mirage", "missing"], Token);

        var service = Assert.Single(response.Services!);
        Assert.Equal("mirage", service.ServiceName);
        Assert.Equal(scenario.Network.AwsvpcConfiguration.Subnets, service.NetworkConfiguration!.AwsvpcConfiguration!.Subnets);
        Assert.Equal(scenario.Network.AwsvpcConfiguration.SecurityGroups, service.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups);
        Assert.Contains(response.Failures!, f => f.Arn?.Contains("missing", StringComparison.Ordinal) == true);
    }
}
