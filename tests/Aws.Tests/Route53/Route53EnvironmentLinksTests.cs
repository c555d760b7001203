using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Aws.Links;
using Mirage.Aws.Route53;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;

namespace Mirage.Aws.Tests.Route53;

[Collection(MotoCollection.Name)]
public sealed class Route53EnvironmentLinksTests(MotoFixture moto) : IAsyncLifetime
{
    private string _zoneId = "";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        _zoneId = await new MotoSetup(moto).CreateHostedZoneAsync("mirage.example.com.", Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static ObservedTask Task(string id, string ip, params (string Container, int Port)[] ports) => new()
    {
        Arn = "arn:aws:ecs:us-east-1:123456789012:task/mirage/" + id,
        TaskDefinitionArn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
        LastStatus = EcsTaskStatus.Running,
        DesiredStatus = EcsTaskStatus.Running,
        IpAddress = ip,
        Ports = [.. ports.Select(p => new TaskPortBinding(p.Container, p.Port, ip, p.Port))],
    };

    private Route53EnvironmentLinks Links(AwsClients aws, params string[] exclude) =>
        new(aws.Route53, new LinkConfig { HostedZoneId = _zoneId, ExcludeContainers = exclude }, TimeProvider.System, NullLogger<Route53EnvironmentLinks>.Instance);

    private async Task<Dictionary<string, IReadOnlyList<string>>> RecordsAsync(AwsClients aws) =>
        (await aws.Route53.ListResourceRecordSetsAsync(_zoneId, cancellationToken: Token))
            .Where(r => r.Type == "A")
            .ToDictionary(r => r.Name, r => (IReadOnlyList<string>)[.. r.Values.Order()]);

    [Fact]
    public async Task One_multi_value_record_per_container_across_tasks_then_only_the_difference_then_removal()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var links = Links(aws, "metrics-*");
        var tasks = new[]
        {
            Task("a", "10.0.0.1", ("app", 80), ("metrics-agent", 9100)),
            Task("b", "10.0.0.2", ("db", 5432)),
            Task("c", "10.0.0.3", ("app", 80)),
        };

        var written = await links.SyncAsync("env1", tasks, Token);
        var again = await links.SyncAsync("env1", tasks, Token);
        var afterFirst = await RecordsAsync(aws);
        var shrunk = await links.SyncAsync("env1", tasks[..2], Token);
        var afterShrink = await RecordsAsync(aws);

        Assert.NotNull(written);
        // Null means no change batch was sent: the records already matched.
        Assert.True(again is null, again);
        Assert.Equal(["10.0.0.1", "10.0.0.3"], afterFirst["app.env1.mirage.example.com."]);
        Assert.Equal(["10.0.0.2"], afterFirst["db.env1.mirage.example.com."]);
        Assert.DoesNotContain(afterFirst.Keys, k => k.StartsWith("metrics", StringComparison.Ordinal));
        Assert.Contains("app.env1.mirage.example.com → 10.0.0.1", shrunk, StringComparison.Ordinal);
        Assert.Equal(["10.0.0.1"], afterShrink["app.env1.mirage.example.com."]);

        var removed = await links.RemoveAsync("env1", Token);
        Assert.Contains("deleted app.env1.mirage.example.com", removed, StringComparison.Ordinal);
        Assert.Empty(await RecordsAsync(aws));
    }

    [Fact]
    public async Task Removal_deletes_exactly_what_is_there_and_leaves_other_environments_alone()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var links = Links(aws);
        await links.SyncAsync("env1", [Task("a", "10.0.0.1", ("app", 80))], Token);
        await links.SyncAsync("env10", [Task("b", "10.0.0.9", ("app", 80))], Token);
        // Someone changed the record by hand: a DELETE built from Mirage's own view would fail the batch.
        await aws.Route53.ChangeResourceRecordSetsAsync(_zoneId,
            [new ResourceRecordSetChange(ChangeAction.Upsert, new ResourceRecordSet { Name = "app.env1.mirage.example.com.", Type = "A", Ttl = 300, Values = ["10.9.9.9", "10.9.9.8"] })],
            null, Token);

        await links.RemoveAsync("env1", Token);

        var left = await RecordsAsync(aws);
        Assert.Equal(["app.env10.mirage.example.com."], left.Keys);
    }

    [Fact]
    public async Task Wildcard_subdomains_get_no_records()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        var result = await Links(aws).SyncAsync("feature-*", [Task("a", "10.0.0.1", ("app", 80))], Token);

        Assert.Null(result);
        Assert.Empty(await RecordsAsync(aws));
    }

    [Fact]
    public async Task An_unknown_hosted_zone_fails_with_an_error_naming_the_setting()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var links = new Route53EnvironmentLinks(aws.Route53, new LinkConfig { HostedZoneId = "ZNOTTHERE" }, TimeProvider.System, NullLogger<Route53EnvironmentLinks>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Route53LinksStartup(links).StartAsync(Token));

        Assert.Contains("link.hosted_zone_id ZNOTTHERE", error.Message, StringComparison.Ordinal);
    }
}
