using Mirage.Aws.Route53;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.Route53;

[Collection(MotoCollection.Name)]
public sealed class Route53ClientTests(MotoFixture moto) : IAsyncLifetime
{
    private string _zoneId = "";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        _zoneId = await new MotoSetup(moto).CreateHostedZoneAsync("mirage.example.com.", Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static ResourceRecordSetChange Upsert(string name, params string[] ips) =>
        new(ChangeAction.Upsert, new ResourceRecordSet { Name = name, Type = "A", Ttl = 60, Values = ips });

    [Fact]
    public async Task GetHostedZone_returns_the_zone_name_with_its_trailing_dot()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        var zone = await aws.Route53.GetHostedZoneAsync(_zoneId, Token);

        Assert.Equal("mirage.example.com.", zone.Name);
        Assert.Equal(Route53Client.BareZoneId(_zoneId), zone.ShortId);
    }

    [Fact]
    public async Task Upserts_and_deletes_are_listed_across_pages()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);

        var info = await aws.Route53.ChangeResourceRecordSetsAsync(_zoneId,
            [
                Upsert("app.env1.mirage.example.com.", "10.0.0.1", "10.0.0.2"),
                Upsert("app.env2.mirage.example.com.", "10.0.0.3"),
                Upsert("db.env2.mirage.example.com.", "10.0.0.4"),
                new(ChangeAction.Upsert, new ResourceRecordSet { Name = "w.mirage.example.com.", Type = "A", Ttl = 60, SetIdentifier = "blue", Weight = 10, Values = ["10.0.0.9"] }),
            ],
            "mirage link", Token);
        await aws.Route53.ChangeResourceRecordSetsAsync(_zoneId,
            [new(ChangeAction.Delete, new ResourceRecordSet { Name = "app.env2.mirage.example.com.", Type = "A", Ttl = 60, Values = ["10.0.0.3"] })],
            null, Token);
        var records = await aws.Route53.ListResourceRecordSetsAsync(_zoneId, pageSize: 2, cancellationToken: Token);

        Assert.False(string.IsNullOrEmpty(info.Status));
        var a = records.Where(r => r.Type == "A").ToDictionary(r => r.Name, r => r);
        Assert.Equal(["app.env1.mirage.example.com.", "db.env2.mirage.example.com.", "w.mirage.example.com."], a.Keys.Order());
        Assert.Equal(["10.0.0.1", "10.0.0.2"], a["app.env1.mirage.example.com."].Values.Order());
        Assert.Equal(60, a["app.env1.mirage.example.com."].Ttl);
        Assert.Equal(10, a["w.mirage.example.com."].Weight);
        Assert.Equal("blue", a["w.mirage.example.com."].SetIdentifier);
        Assert.Contains(records, r => r.Type == "NS");
        Assert.Contains(records, r => r.Type == "SOA");
        // NS, SOA and three A records in pages of two.
        Assert.Equal(3, proxy.Count("GET /2013-04-01/hostedzone/" + Route53Client.BareZoneId(_zoneId) + "/rrset"));
    }

    [Fact]
    public async Task Listing_can_start_from_a_record_name_and_type()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Route53.ChangeResourceRecordSetsAsync(_zoneId,
            [Upsert("a.mirage.example.com.", "10.0.0.1"), Upsert("b.mirage.example.com.", "10.0.0.2"), Upsert("c.mirage.example.com.", "10.0.0.3")],
            null, Token);

        var all = await aws.Route53.ListResourceRecordSetsAsync(_zoneId, cancellationToken: Token);
        var fromB = await aws.Route53.ListResourceRecordSetsAsync(_zoneId, "b.mirage.example.com.", "A", 1, Token);

        Assert.Equal(all.SkipWhile(r => r.Name != "b.mirage.example.com.").Select(r => r.Name), fromB.Select(r => r.Name));
        Assert.DoesNotContain(fromB, r => r.Name == "a.mirage.example.com.");
    }

    [Fact]
    public async Task Deleting_a_record_that_does_not_exist_is_a_typed_client_error_and_not_retried()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);

        var error = await Assert.ThrowsAsync<Errors.AwsServiceException>(() => aws.Route53.ChangeResourceRecordSetsAsync(_zoneId,
            [new(ChangeAction.Delete, new ResourceRecordSet { Name = "gone.mirage.example.com.", Type = "A", Ttl = 60, Values = ["10.0.0.1"] })],
            null, Token));

        Assert.False(error.IsRetryable);
        Assert.Equal(400, (int)error.StatusCode);
        Assert.Single(proxy.Requests);
    }

    [Fact]
    public void The_change_batch_is_written_in_the_2013_04_01_namespace()
    {
        var xml = Route53Client.ChangeBatchXml([Upsert("x.mirage.example.com.", "10.1.2.3")], "c").Root!;

        Assert.Equal("https://route53.amazonaws.com/doc/2013-04-01/", xml.Name.NamespaceName);
        Assert.Equal("ChangeResourceRecordSetsRequest", xml.Name.LocalName);
        Assert.Equal("UPSERT", xml.Descendants(Route53Client.Namespace + "Action").Single().Value);
        Assert.Equal("10.1.2.3", xml.Descendants(Route53Client.Namespace + "Value").Single().Value);
        Assert.Equal("60", xml.Descendants(Route53Client.Namespace + "TTL").Single().Value);
    }
}
