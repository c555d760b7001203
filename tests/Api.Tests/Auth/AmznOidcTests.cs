using System.Net;
using Microsoft.Extensions.Time.Testing;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Model.Configuration;
using Mirage.TestKit.Oidc;

namespace Mirage.Api.Tests.Auth;

/// <summary>
/// ALB OIDC end to end: tokens signed with a P-256 key made here, its public key served as PEM from a loopback
/// "ALB key endpoint", the web UI behind the real auth pipeline.
/// </summary>
public sealed class AmznOidcTests : IAsyncLifetime
{
    private const string Kid = "4f1e0e4b-7c6c-4b32-9a32-4a58b8c0f001";

    private readonly AlbTokenFactory _tokens = new(Kid);
    private AlbKeyServer _keys = null!;

    public async ValueTask InitializeAsync()
    {
        _keys = await AlbKeyServer.StartAsync();
        _keys.Publish(Kid, _tokens.PublicKeyPem);
    }

    public async ValueTask DisposeAsync()
    {
        await _keys.DisposeAsync();
        _tokens.Dispose();
    }

    private static AuthConfig OidcAuth(string? albArn = AlbTokenFactory.Signer) => new()
    {
        CookieSecret = "cookie-secret",
        Token = new TokenAuthConfig("x-mirage-token", "mytoken"),
        AmznOidc = new AmznOidcAuthConfig
        {
            Claim = "email",
            Matchers = [new OidcClaimMatcher(null, "@example.com")],
            AlbArn = albArn,
        },
        Basic = new BasicAuthConfig("user", "pass"),
    };

    private Task<AuthTestServer> StartAsync(AuthConfig auth, Action<Mirage.Api.Auth.AmznOidcOptions>? tune = null, TimeProvider? time = null) =>
        AuthTestServer.StartAsync(auth, time: time, oidc: o =>
        {
            o.PublicKeyEndpoint = _keys.Endpoint;
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            tune?.Invoke(o);
        });

    private string TokenWithKid(string kid) =>
        _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["kid"] = kid });

    [Fact]
    public async Task Without_a_pinned_alb_no_token_is_accepted_and_no_key_is_fetched()
    {
        await using var server = await StartAsync(OidcAuth(albArn: null));
        using var client = new WebApiClient(server.Port);

        var reply = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(0, _keys.Hits(Kid));
        Assert.Contains(server.Logs.Lines, l => l.Contains("auth.amzn_oidc.alb_arn is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Made_up_kids_never_push_the_good_key_out_of_the_cache()
    {
        await using var server = await StartAsync(OidcAuth(), o => o.KeyCacheCapacity = 1);
        using var client = new WebApiClient(server.Port);

        Assert.Equal(HttpStatusCode.OK, (await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System))).Status);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithOidcAsync(client, TokenWithKid($"made-up-{i}"))).Status);
        }
        var again = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System));

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(1, _keys.Hits(Kid));
    }

    [Fact]
    public async Task A_failed_refresh_of_an_expired_key_keeps_users_logged_in_with_the_key_already_fetched()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var server = await StartAsync(OidcAuth(), o =>
        {
            o.KeyCacheTtl = TimeSpan.FromHours(1);
            o.FetchAttempts = 1;
        }, clock);
        using var client = new WebApiClient(server.Port);
        Assert.Equal(HttpStatusCode.OK, (await GetWithOidcAsync(client, _tokens.Create(clock))).Status);

        clock.Advance(TimeSpan.FromHours(2));
        _keys.FailNext(Kid, 100);
        var during = await GetWithOidcAsync(client, _tokens.Create(clock));

        Assert.Equal(HttpStatusCode.OK, during.Status);
        Assert.Equal(2, _keys.Hits(Kid));
    }

    [Fact]
    public async Task More_new_kids_than_fetch_slots_wait_for_a_slot_instead_of_being_refused()
    {
        var kids = Enumerable.Range(0, 4).Select(i => $"{Kid}-{i}").ToList();
        foreach (var kid in kids)
        {
            _keys.Publish(kid, _tokens.PublicKeyPem);
        }
        _keys.Delay = TimeSpan.FromMilliseconds(200);
        await using var server = await StartAsync(OidcAuth(), o => o.MaxConcurrentFetches = 1);
        using var client = new WebApiClient(server.Port);

        var replies = await Task.WhenAll(kids.Select(kid => GetWithOidcAsync(client, TokenWithKid(kid))));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(kids, kid => Assert.Equal(1, _keys.Hits(kid)));
    }

    private static Task<Reply> GetWithOidcAsync(WebApiClient client, string token, string path = "/") =>
        client.GetAsync(path, h => h.Add("x-amzn-oidc-data", token));

    [Fact]
    public async Task A_valid_token_is_allowed_and_the_key_is_fetched_once()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var replies = new List<Reply>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System)));
        }

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(replies, r => Assert.NotNull(r.AuthCookieValue));
        Assert.Equal(1, _keys.Hits(Kid));
    }

    [Fact]
    public async Task Concurrent_requests_share_one_key_fetch()
    {
        _keys.Delay = TimeSpan.FromMilliseconds(300);
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetWithOidcAsync(client, _tokens.Create(TimeProvider.System))));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(1, _keys.Hits(Kid));
    }

    [Fact]
    public async Task Unpadded_segments_are_accepted_too()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var reply = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, padded: false));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task A_claim_matching_no_matcher_is_refused()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var reply = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, claims: new Dictionary<string, object?> { ["email"] = "user@example.net" }));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Contains(server.Logs.Lines, l => l.Contains("amzn_oidc: claim email", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_a_little_clock_skew_is_tolerated()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);
        var now = TimeProvider.System.GetUtcNow();

        var expired = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, claims: new Dictionary<string, object?> { ["exp"] = now.AddMinutes(-5).ToUnixTimeSeconds() }));
        var skewed = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, claims: new Dictionary<string, object?> { ["exp"] = now.AddSeconds(-10).ToUnixTimeSeconds() }));
        var noExp = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System,
            claims: new Dictionary<string, object?> { ["exp"] = null }, header: new Dictionary<string, object?> { ["exp"] = null }));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal(HttpStatusCode.OK, skewed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, noExp.Status);
        Assert.Contains(server.Logs.Lines, l => l.Contains("JWT has expired", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains("JWT has no exp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("ES384")]
    [InlineData("none")]
    public async Task A_wrong_alg_is_refused_before_any_key_fetch(string alg)
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var reply = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["alg"] = alg }));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(0, _keys.Hits(Kid));
    }

    [Fact]
    public async Task Missing_kid_or_signer_is_refused()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var noKid = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["kid"] = null }));
        var noSigner = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["signer"] = null }));
        var kidNotString = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["kid"] = 42 }));

        Assert.Equal(HttpStatusCode.Unauthorized, noKid.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, noSigner.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, kidNotString.Status);
        Assert.Equal(0, _keys.Hits(Kid));
    }

    [Fact]
    public async Task A_pinned_alb_refuses_another_signer_without_fetching_and_accepts_its_own()
    {
        await using var server = await StartAsync(OidcAuth(albArn: AlbTokenFactory.Signer));
        using var client = new WebApiClient(server.Port);
        const string other = "arn:aws:elasticloadbalancing:ap-northeast-1:999999999999:loadbalancer/app/other/0123456789abcdef";

        var wrongSigner = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["signer"] = other }));
        Assert.Equal(0, _keys.Hits(Kid));
        var rightSigner = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSigner.Status);
        Assert.Equal(HttpStatusCode.OK, rightSigner.Status);
        Assert.Contains(server.Logs.Lines, l => l.Contains("signer is not the ALB in auth.amzn_oidc.alb_arn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_payload_or_a_foreign_signature_is_refused()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);
        using var foreignKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        var genuine = _tokens.Create(TimeProvider.System, claims: new Dictionary<string, object?> { ["email"] = "user@example.net" });
        var forged = _tokens.Create(TimeProvider.System);
        var parts = genuine.Split('.');
        var swapped = $"{parts[0]}.{forged.Split('.')[1]}.{parts[2]}";
        var foreign = _tokens.Create(TimeProvider.System, signWith: foreignKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithOidcAsync(client, swapped)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithOidcAsync(client, foreign)).Status);
        Assert.Contains(server.Logs.Lines, l => l.Contains("JWT signature does not verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_kid_is_refused_and_the_failure_is_remembered()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);
        const string unknown = "00000000-0000-0000-0000-000000000000";

        var first = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["kid"] = unknown }));
        var second = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System, header: new Dictionary<string, object?> { ["kid"] = unknown }));

        Assert.Equal(HttpStatusCode.Unauthorized, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        // A 404 is final: no retry, and not fetched again while remembered.
        Assert.Equal(1, _keys.Hits(unknown));
    }

    [Fact]
    public async Task A_failing_key_endpoint_is_retried()
    {
        _keys.FailNext(Kid, 2);
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var reply = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(3, _keys.Hits(Kid));
    }

    [Fact]
    public async Task The_api_refuses_oidc()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);

        var reply = await GetWithOidcAsync(client, _tokens.Create(TimeProvider.System), "/api/list");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Empty(reply.SetCookies);
    }

    [Fact]
    public async Task The_token_header_never_reaches_the_logs()
    {
        await using var server = await StartAsync(OidcAuth());
        using var client = new WebApiClient(server.Port);
        var token = _tokens.Create(TimeProvider.System);

        await GetWithOidcAsync(client, token);
        await GetWithOidcAsync(client, token[..^4]);

        Assert.NotEmpty(server.Logs.Lines);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(token.Split('.')[1][..20], StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(token.Split('.')[2][..20], StringComparison.Ordinal));
    }
}
