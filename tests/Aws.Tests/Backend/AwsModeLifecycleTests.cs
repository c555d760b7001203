using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Aws.Route53;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Launch;
using Mirage.Model.Routing;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// The whole lifecycle in AWS mode through the real reconciler service against moto. Routes are only inspected:
/// moto's 10.x task addresses are never contacted.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed partial class AwsModeLifecycleTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AwsScenario _scenario = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_scenario.InitializeAsync(Token));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Launch_routes_to_the_task_address_writes_link_records_and_terminate_stops_the_task_and_removes_them()
    {
        await using var mirage = new AwsModeHost(moto.Endpoint, AwsModeHost.ConfigFor(_scenario.Network, _scenario.ZoneId, excludeContainers: ["side*"]));
        await mirage.StartAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);

        await mirage.LaunchAsync("feature-x", "feature/x", "web");

        var route = await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("feature-x")), "the route of feature-x");
        var task = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
        var ip = task["attachments"]![0]!["details"]!.AsArray().First(d => d!["name"]!.GetValue<string>() == "privateIPv4Address")!["value"]!.GetValue<string>();
        Assert.Matches(Ipv4(), ip);
        Assert.Equal(task["taskArn"]!.GetValue<string>(), route.TaskId);
        Assert.Equal([new RouteDestination(ip, 80)], route.Destinations[80]);
        Assert.Equal([new RouteDestination(ip, 8080)], route.Destinations[8080]);
        Assert.Equal("mirage", task["startedBy"]!.GetValue<string>());
        Assert.Contains(task["tags"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "MirageRevision" && t["value"]!.GetValue<string>() == "1");
        var app = task["overrides"]!["containerOverrides"]!.AsArray().First(o => o!["name"]!.GetValue<string>() == "app")!;
        Assert.Contains(app["environment"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "GIT_BRANCH" && e["value"]!.GetValue<string>() == "feature/x");

        // Link records: app has port mappings; sidecar is excluded by the pattern.
        var records = await AwsModeHost.EventuallyAsync(async () =>
        {
            var found = await LinkRecordsAsync(aws, "feature-x");
            return found.Count > 0 ? found : null;
        }, "link records of feature-x");
        var record = Assert.Single(records);
        Assert.Equal("app.feature-x.mirage.example.com.", record.Name);
        Assert.Equal([ip], record.Values);
        Assert.Equal(60, record.Ttl);

        await IntentUpdates.TerminateAsync(mirage.Store, "feature-x", TimeProvider.System.GetUtcNow(), Token);

        await AwsModeHost.EventuallyAsync(async () => (await _scenario.TasksAsync(EcsTaskStatus.Running, Token)).Count == 0 ? "" : null, "the task to stop");
        var stopped = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Stopped, Token));
        Assert.Equal(EcsTaskStatus.Stopped, stopped["lastStatus"]!.GetValue<string>());
        Assert.Equal("Terminate requested by Mirage", stopped["stoppedReason"]!.GetValue<string>());
        Assert.Null(mirage.Routes.Current.FindByKey("feature-x"));
        await AwsModeHost.EventuallyAsync(async () => (await LinkRecordsAsync(aws, "feature-x")).Count == 0 ? "" : null, "link records to be removed");
        var status = await AwsModeHost.EventuallyAsync(async () =>
            await mirage.Store.GetStatusAsync("feature-x", Token) is { State: Model.Lifecycle.LifecycleState.Terminated } s ? s : null, "the Terminated status");
        Assert.Contains(status.Events, e => e.Reason == "LinksRemoved");
    }

    [Fact]
    public async Task A_task_launched_by_mirage_ecs_is_adopted_and_keeps_running()
    {
        var arn = await _scenario.RunMirageEcsStyleTaskAsync("legacy", "main", Token);
        var logs = new RecordedLogs();
        await using var mirage = new AwsModeHost(moto.Endpoint, AwsModeHost.ConfigFor(_scenario.Network), logs: logs);

        await mirage.StartAsync(Token);

        var intent = await AwsModeHost.EventuallyAsync(() => mirage.Store.GetAsync("legacy", Token), "the adopted intent");
        Assert.Equal(IntentSource.Adopted, intent.Source);
        Assert.Equal("main", intent.Branch);
        Assert.Equal(["web:1"], intent.TaskDefinitions);
        var route = await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("legacy")), "the route of the adopted task");
        Assert.Equal(arn, route.TaskId);
        // Two more resyncs, each looking at the tasks again: still the same one task, never stopped, nothing launched beside it.
        var resyncsBefore = Resyncs(logs);
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(Resyncs(logs) >= resyncsBefore + 2 ? "" : null), "two more resyncs");
        var running = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
        Assert.Equal(arn, running["taskArn"]!.GetValue<string>());
        Assert.Empty(await _scenario.TasksAsync(EcsTaskStatus.Stopped, Token));
    }

    [Fact]
    public async Task Throttling_and_500s_are_recovered_without_a_duplicate_task_or_a_hot_loop()
    {
        var logs = new RecordedLogs();
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var mirage = new AwsModeHost(proxy.Endpoint, AwsModeHost.ConfigFor(_scenario.Network), logs: logs);
        await mirage.StartAsync(Token);
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(proxy.Count("ListTasks") > 0 ? "" : null), "the first listing");
        proxy.Inject(FaultKind.Throttle, 3, "ListTasks");
        proxy.Inject(FaultKind.ServerError, 2, "DescribeTaskDefinition");
        // The first RunTask starts the task and its answer is lost; the retry must find it, not start another.
        proxy.Inject(FaultKind.ForwardThenServerError, 1, "RunTask");

        await mirage.LaunchAsync("flaky", "main", "web");

        await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("flaky")), "the route of flaky");
        Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
        var runTasks = proxy.Requests.Where(r => r.Operation == "RunTask").ToList();
        Assert.Equal(500, runTasks[0].Status);
        Assert.True(runTasks.Count <= 2, $"RunTask was called {runTasks.Count} times");
        // Settled: over two more resyncs and the polls between them, a handful of listings, not a loop.
        proxy.ClearRecords();
        var resyncsBefore = Resyncs(logs);
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(Resyncs(logs) >= resyncsBefore + 2 ? "" : null), "two more resyncs");
        Assert.InRange(proxy.Count("ListTasks"), 1, 40);
        Assert.Equal(0, proxy.Count("RunTask"));
        Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
    }

    [Fact]
    public async Task More_than_100_tasks_are_listed_and_only_Mirage_tasks_are_kept()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
        await using var mirage = new AwsModeHost(proxy.Endpoint, AwsModeHost.ConfigFor(_scenario.Network));
        await using var aws = new AwsClients(moto.Endpoint);
        for (var i = 0; i < 11; i++)
        {
            await aws.Ecs.RunTaskAsync(new Mirage.Aws.Ecs.Wire.RunTaskRequest
            {
                Cluster = AwsScenario.Cluster,
                TaskDefinition = "web",
                LaunchType = "FARGATE",
                Count = 10,
                NetworkConfiguration = new Mirage.Aws.Ecs.Wire.EcsNetworkConfiguration(new Mirage.Aws.Ecs.Wire.EcsAwsVpcConfiguration { Subnets = [_scenario.Network.Subnet], SecurityGroups = [_scenario.Network.SecurityGroup] }),
                Tags = [new Mirage.Aws.Ecs.Wire.EcsResourceTag("ManagedBy", "Mirage"), new Mirage.Aws.Ecs.Wire.EcsResourceTag("Subdomain", "YnVsaw==")],
            }, Token);
        }
        await _scenario.Setup.EcsAsync("RunTask", new System.Text.Json.Nodes.JsonObject
        {
            ["cluster"] = AwsScenario.Cluster,
            ["taskDefinition"] = "web",
            ["launchType"] = "FARGATE",
            ["networkConfiguration"] = System.Text.Json.Nodes.JsonNode.Parse($$$"""{"awsvpcConfiguration":{"subnets":["{{{_scenario.Network.Subnet}}}"],"securityGroups":["{{{_scenario.Network.SecurityGroup}}}"]}}"""),
        }, Token);
        var backend = mirage.Services.GetRequiredService<IEcsBackend>();

        var tasks = await backend.ListTasksAsync(TaskDesiredStatus.Running, Token);

        Assert.Equal(110, tasks.Count);
        Assert.Equal(110, tasks.Select(t => t.Arn).Distinct().Count());
        Assert.All(tasks, t => Assert.Equal("bulk", TaskTags.SubdomainOf(t)));
        Assert.All(tasks, t => Assert.Equal(2, t.Ports.Count));
        Assert.All(proxy.Requests.Where(r => r.Operation == "DescribeTasks"), r => Assert.Equal(200, r.Status));
        Assert.Equal(2, proxy.Count("ListTasks"));
        Assert.Equal(1, proxy.Count("DescribeTaskDefinition"));
    }

    private async Task<IReadOnlyList<ResourceRecordSet>> LinkRecordsAsync(AwsClients aws, string subdomain) =>
        [.. (await aws.Route53.ListResourceRecordSetsAsync(_scenario.ZoneId, cancellationToken: Token))
            .Where(r => r.Type == "A" && r.Name.EndsWith($".{subdomain}.{AwsScenario.ZoneName}", StringComparison.Ordinal))];

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex Ipv4();

    // Every resync logs what it queued (event 1302) after listing the tasks and the intents.
    private static int Resyncs(RecordedLogs logs) => logs.Entries.Count(e => e.EventId.Id == 1302);
}
