using Mirage.Aws.Ecs;
using Mirage.Aws.Ecs.Wire;
using Mirage.Aws.Errors;
using Mirage.Aws.Tests.Ecs;
using Mirage.Aws.Tests.Moto;
using Polly.CircuitBreaker;

namespace Mirage.Aws.Tests.Resilience;

/// <summary>Throttling and 5xx injected between the clients and moto by <see cref="FaultProxy"/>.</summary>
[Collection(MotoCollection.Name)]
public sealed class ResilienceTests(EcsScenario scenario) : IClassFixture<EcsScenario>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ListTasksRequest Running(string startedBy) =>
        new() { Cluster = EcsScenario.Cluster, StartedBy = startedBy, DesiredStatus = EcsDesiredStatus.Running };

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_until_the_call_succeeds()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        proxy.Inject(FaultKind.Throttle, 2, "DescribeTaskDefinition");
        proxy.Inject(FaultKind.ServerError, 1, "DescribeTaskDefinition");

        var definition = await aws.Ecs.DescribeTaskDefinitionAsync("web", Token);

        Assert.Equal("web", definition.Family);
        Assert.Equal([400, 400, 500, 200], proxy.Requests.Where(r => r.Operation == "DescribeTaskDefinition").Select(r => r.Status));
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_after_the_bounded_number_of_attempts()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint, o => o.MaxRetryAttempts = 3);
        proxy.Inject(FaultKind.Throttle, 1000, "ListTasks");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.ListTasksAsync(Running("nobody"), Token));

        Assert.True(error.IsThrottling);
        Assert.Equal("ThrottlingException", error.Code);
        Assert.Equal(4, proxy.Count("ListTasks"));
    }

    [Fact]
    public async Task Query_protocol_throttling_is_recognised_and_retried()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        proxy.Inject(FaultKind.Throttle, 2, "PutMetricData");

        var requests = await aws.CloudWatch.PutMetricDataAsync("Mirage/Test", [new Mirage.Aws.CloudWatch.MetricDatum { MetricName = "Requests", Value = 1 }], Token);

        Assert.Equal(1, requests);
        Assert.Equal([400, 400, 200], proxy.Requests.Where(r => r.Operation == "PutMetricData").Select(r => r.Status));
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        proxy.Inject(FaultKind.ClientError, 10, "ListTasks");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.ListTasksAsync(Running("nobody"), Token));

        Assert.Equal("ClientException", error.Code);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, proxy.Count("ListTasks"));
    }

    [Fact]
    public async Task A_RunTask_whose_response_was_lost_is_retried_with_its_client_token_and_starts_no_duplicate()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        proxy.Inject(FaultKind.ForwardThenServerError, 1, "RunTask");

        var run = await aws.Ecs.RunTaskAsync(scenario.RunRequest("mirage-dedupe", "sub-rev1-td0"), Token);

        var task = Assert.Single(run.Tasks!);
        var running = await aws.Ecs.ListTasksAsync(Running("mirage-dedupe"), Token);
        Assert.Equal([task.TaskArn], running);
        Assert.Equal("sub-rev1-td0", task.Tag(EcsClient.ClientTokenTag));
        // The first RunTask reached moto (and started the task); the retry found it instead of sending RunTask again.
        Assert.Equal(1, proxy.Count("RunTask"));
    }

    [Fact]
    public async Task A_RunTask_that_failed_before_reaching_ECS_is_retried_once_and_starts_one_task()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        proxy.Inject(FaultKind.Throttle, 1, "RunTask");

        var run = await aws.Ecs.RunTaskAsync(scenario.RunRequest("mirage-throttled-run", "sub-rev2-td0"), Token);

        Assert.Single(run.Tasks!);
        Assert.Single(await aws.Ecs.ListTasksAsync(Running("mirage-throttled-run"), Token));
        Assert.Equal([400, 200], proxy.Requests.Where(r => r.Operation == "RunTask").Select(r => r.Status));
    }

    [Fact]
    public async Task A_RunTask_without_a_client_token_is_never_retried()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        proxy.Inject(FaultKind.ForwardThenServerError, 1, "RunTask");

        await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.RunTaskAsync(scenario.RunRequest("mirage-no-token"), Token));

        Assert.Equal(1, proxy.Count("RunTask"));
        Assert.Single(await aws.Ecs.ListTasksAsync(Running("mirage-no-token"), Token));
    }

    [Fact]
    public async Task The_ECS_circuit_opens_after_repeated_failures_and_stops_sending()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint, o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreakerMinimumThroughput = 2;
            o.CircuitBreakerFailureRatio = 0.5;
            o.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1);
        });
        proxy.Inject(FaultKind.ServerError, 1000, "ListTasks");

        await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.ListTasksAsync(Running("nobody"), Token));
        await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.ListTasksAsync(Running("nobody"), Token));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => aws.Ecs.ListTasksAsync(Running("nobody"), Token));

        Assert.Equal(2, proxy.Count("ListTasks"));
    }

    [Fact]
    public async Task Cancellation_stops_a_call_waiting_for_its_next_attempt()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMinutes(5);
            o.RetryMaxDelay = TimeSpan.FromMinutes(5);
        });
        proxy.Inject(FaultKind.Throttle, 1000, "ListTasks");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aws.Ecs.ListTasksAsync(Running("nobody"), cancel.Token));

        Assert.Equal(1, proxy.Count("ListTasks"));
    }
}
