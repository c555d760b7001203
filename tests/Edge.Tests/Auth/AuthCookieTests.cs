using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Mirage.Edge.Auth;
using Mirage.Model.Configuration;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Auth;

public sealed class AuthCookieTests
{
    private const string Secret = "correct horse battery staple";

    private static readonly MirageConfig Config = new() { Auth = new AuthConfig { CookieSecret = Secret } };

    [Fact]
    public void Issued_cookie_verifies_and_expires_after_24_hours()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var cookie = new AuthCookie(Config, clock);

        var issued = cookie.Issue();

        Assert.Equal(clock.GetUtcNow().AddHours(24), issued.ExpiresAt);
        Assert.Equal(AuthCookieVerdict.Valid, cookie.Verify(issued.Value));
        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(AuthCookieVerdict.Valid, cookie.Verify(issued.Value));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AuthCookieVerdict.Expired, cookie.Verify(issued.Value));
    }

    [Fact]
    public void Issued_cookie_has_the_mirage_ecs_shape()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var issued = new AuthCookie(Config, clock).Issue();
        var parts = issued.Value.Split('.');

        Assert.Equal(3, parts.Length);
        Assert.Equal("""{"alg":"HS256","typ":"JWT"}""", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])));
        Assert.Equal($$"""{"expire_at":{{clock.GetUtcNow().AddHours(24).ToUnixTimeSeconds()}}}""",
            Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])));
    }

    [Fact]
    public void A_token_signed_by_hand_as_golang_jwt_would_is_accepted()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var token = Sign("""{"alg":"HS256","typ":"JWT"}""", $$"""{"expire_at":{{clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds()}}}""",
            HMACSHA256.HashData);

        Assert.Equal(AuthCookieVerdict.Valid, new AuthCookie(Config, clock).Verify(token));
    }

    [Fact]
    public void Tampered_payload_or_signature_is_refused()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var cookie = new AuthCookie(Config, clock);
        var parts = cookie.Issue().Value.Split('.');

        var longerPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"expire_at":99999999999}"""));
        Assert.Equal(AuthCookieVerdict.BadSignature, cookie.Verify($"{parts[0]}.{longerPayload}.{parts[2]}"));

        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[0] ^= 1;
        Assert.Equal(AuthCookieVerdict.BadSignature, cookie.Verify($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}"));
        Assert.Equal(AuthCookieVerdict.BadSignature, cookie.Verify($"{parts[0]}.{parts[1]}.{parts[2][..^2]}"));
    }

    [Fact]
    public void Another_secret_does_not_verify()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var issued = new AuthCookie(new MirageConfig { Auth = new AuthConfig { CookieSecret = "other" } }, clock).Issue();

        Assert.Equal(AuthCookieVerdict.BadSignature, new AuthCookie(Config, clock).Verify(issued.Value));
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""")]
    [InlineData("""{"alg":"RS256","typ":"JWT"}""")]
    [InlineData("""{"alg":"HS512","typ":"JWT"}""")]
    [InlineData("""{"alg":"hs256","typ":"JWT"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    [InlineData("""{"alg":256}""")]
    public void Other_algorithms_are_refused_even_when_signed_with_the_secret(string header)
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var payload = $$"""{"expire_at":{{clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}}}""";
        var cookie = new AuthCookie(Config, clock);

        Assert.Equal(AuthCookieVerdict.WrongAlgorithm, cookie.Verify(Sign(header, payload, HMACSHA256.HashData)));
        Assert.Equal(AuthCookieVerdict.WrongAlgorithm, cookie.Verify(Sign(header, payload, HMACSHA512.HashData)));
        // alg none: no signature at all.
        var unsigned = Sign(header, payload, HMACSHA256.HashData);
        Assert.Equal(AuthCookieVerdict.Malformed, cookie.Verify(unsigned[..(unsigned.LastIndexOf('.') + 1)]));
    }

    [Theory]
    [InlineData("""{"expire_at":"9999999999"}""")]
    [InlineData("""{"exp":9999999999}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    public void Signed_payload_without_a_numeric_expire_at_is_refused(string payload)
    {
        var token = Sign("""{"alg":"HS256","typ":"JWT"}""", payload, HMACSHA256.HashData);

        Assert.Equal(AuthCookieVerdict.Malformed, new AuthCookie(Config, new FakeTimeProvider(TestClock.Start)).Verify(token));
    }

    [Fact]
    public void Missing_and_unconfigured_are_reported_as_such()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        Assert.Equal(AuthCookieVerdict.Missing, new AuthCookie(Config, clock).Verify(null));
        Assert.Equal(AuthCookieVerdict.Missing, new AuthCookie(Config, clock).Verify(""));

        var unconfigured = new AuthCookie(new MirageConfig(), clock);
        Assert.False(unconfigured.IsConfigured);
        Assert.Equal(AuthCookieVerdict.NoSecret, unconfigured.Verify(new AuthCookie(Config, clock).Issue().Value));
        var error = Assert.Throws<InvalidOperationException>(unconfigured.Issue);
        Assert.Contains("cookie_secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cookie_options_match_mirage_ecs_with_path_added()
    {
        var issued = new AuthCookie(Config, new FakeTimeProvider(TestClock.Start)).Issue();

        var options = AuthCookie.CreateCookieOptions(issued, ".dev.example.net");

        Assert.Equal("dev.example.net", options.Domain);
        Assert.Equal("/", options.Path);
        Assert.Equal(issued.ExpiresAt, options.Expires);
        Assert.True(options.HttpOnly);
        Assert.True(options.Secure);
        Assert.Equal(Microsoft.AspNetCore.Http.SameSiteMode.Lax, options.SameSite);
    }

    [Property(MaxTest = 1000)]
    public Property Arbitrary_strings_are_never_valid_and_never_throw()
    {
        var cookie = new AuthCookie(Config, new FakeTimeProvider(TestClock.Start));
        var valid = cookie.Issue().Value;

        return Prop.ForAll(ArbMap.Default.ArbFor<string>(), s => s == valid || cookie.Verify(s) != AuthCookieVerdict.Valid);
    }

    [Property(MaxTest = 1000)]
    public Property A_valid_token_with_one_character_changed_is_never_valid()
    {
        var cookie = new AuthCookie(Config, new FakeTimeProvider(TestClock.Start));
        var valid = cookie.Issue().Value;

        // The last character of a segment is left alone: base64 ignores its spare low bits, so some changes there
        // decode to the same bytes.
        var positions = Enumerable.Range(0, valid.Length - 1).Where(i => valid[i + 1] != '.' && valid[i] != '.').ToArray();
        return Prop.ForAll(Gen.Elements(positions).ToArbitrary(), Gen.Elements("A", "-", "_", ".", "=", "x").ToArbitrary(),
            (i, c) => valid[i].ToString() == c || cookie.Verify(valid[..i] + c + valid[(i + 1)..]) != AuthCookieVerdict.Valid);
    }

    private static string Sign(string header, string payload, Func<byte[], byte[], byte[]> mac)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return input + "." + Base64Url.EncodeToString(mac(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(input)));
    }
}
