using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mirage.Api.Auth;
using Mirage.Model.Configuration;
using Mirage.TestKit;
using Mirage.TestKit.Oidc;

namespace Mirage.Api.Tests.Auth;

/// <summary>
/// The validator alone, with P-256 keys made here and served from a loopback key endpoint: every forgery is refused
/// with its reason, and only a genuine token from the pinned ALB passes.
/// </summary>
public sealed class AlbOidcValidatorTests : IAsyncLifetime
{
    private const string Kid = "0c8d4e4e-2f6b-4a1f-9d1e-55aa10b2c3d4";
    private const string OtherAlb = "arn:aws:elasticloadbalancing:ap-northeast-1:999999999999:loadbalancer/app/attacker/0123456789abcdef";

    private readonly AlbTokenFactory _tokens = new(Kid);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private AlbKeyServer _keys = null!;
    private AlbPublicKeyCache _cache = null!;
    private AlbOidcValidator _validator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AlbArn Pinned => AlbArn.TryParse(AlbTokenFactory.Signer, out var arn, out _) ? arn : throw new InvalidOperationException();

    public async ValueTask InitializeAsync()
    {
        _keys = await AlbKeyServer.StartAsync();
        _keys.Publish(Kid, _tokens.PublicKeyPem);
        var options = new AmznOidcOptions { PublicKeyEndpoint = _keys.Endpoint, FetchAttempts = 1 };
        _cache = new AlbPublicKeyCache(options, _clock, NullLogger<AlbPublicKeyCache>.Instance);
        _validator = new AlbOidcValidator(_cache, options, _clock);
    }

    public async ValueTask DisposeAsync()
    {
        _cache.Dispose();
        await _keys.DisposeAsync();
        _tokens.Dispose();
    }

    private Task<AlbOidcValidation> ValidateAsync(string token, AlbArn? pinned = null) =>
        _validator.ValidateAsync(token, pinned ?? Pinned, Ct);

    private static Dictionary<string, object?> One(string name, object? value) => new() { [name] = value };

    [Fact]
    public async Task A_genuine_token_from_the_pinned_alb_passes_with_its_claims()
    {
        var result = await ValidateAsync(_tokens.Create(_clock));

        Assert.Null(result.Error);
        Assert.Equal("user@example.com", result.Claims!.Value.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await ValidateAsync(_tokens.Create(_clock, signWith: attacker));

        Assert.Equal("JWT signature does not verify", result.Error);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_with_a_good_signature()
    {
        var token = _tokens.Create(_clock);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var result = await ValidateAsync(token);

        Assert.Equal("JWT has expired", result.Error);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("ES512")]
    public async Task Any_alg_but_es256_is_refused_before_a_key_is_fetched(string alg)
    {
        var result = await ValidateAsync(_tokens.Create(_clock, header: One("alg", alg)));

        Assert.Equal("JWT alg is not ES256", result.Error);
        Assert.Equal(0, _keys.Hits(Kid));
    }

    [Fact]
    public async Task A_token_from_another_alb_is_refused_before_a_key_is_fetched()
    {
        var result = await ValidateAsync(_tokens.Create(_clock, header: One("signer", OtherAlb)));

        Assert.Equal("JWT signer is not the ALB in auth.amzn_oidc.alb_arn", result.Error);
        Assert.Equal(0, _keys.Hits(Kid));
    }

    [Fact]
    public async Task A_tampered_payload_under_a_genuine_signature_is_refused()
    {
        var genuine = _tokens.Create(_clock).Split('.');
        var other = _tokens.Create(_clock, claims: One("email", "mallory@example.com")).Split('.');

        var result = await ValidateAsync($"{genuine[0]}.{other[1]}.{genuine[2]}");

        Assert.Equal("JWT signature does not verify", result.Error);
    }

    [Fact]
    public async Task Without_a_pinned_alb_nothing_passes()
    {
        var result = await _validator.ValidateAsync(_tokens.Create(_clock), null, Ct);

        Assert.Equal("auth.amzn_oidc.alb_arn is not set, so no ALB is trusted", result.Error);
        Assert.Equal(0, _keys.Hits(Kid));
    }

    [Theory]
    [InlineData("https://keys.example.com/", true)]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("http://keys.example.com/", false)]
    [InlineData("http://10.0.0.5/", false)]
    [InlineData("ftp://127.0.0.1/", false)]
    public void A_key_endpoint_override_must_be_https_or_loopback_http(string endpoint, bool allowed)
    {
        Assert.Equal(allowed, AmznOidcOptions.IsAllowedEndpoint(new Uri(endpoint)));
    }
}
