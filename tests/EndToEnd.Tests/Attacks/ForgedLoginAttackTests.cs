using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 4: forged ALB OIDC tokens and forged <c>mirage-ecs-auth</c> cookies against a real Mirage. Every
/// forgery is refused, nothing is issued, and Mirage keeps serving; an unpinned or unsafe OIDC setup does not start.
/// </summary>
public sealed class ForgedLoginAttackTests
{
    private const string OtherAlb = "arn:aws:elasticloadbalancing:ap-northeast-1:999999999999:loadbalancer/app/attacker/0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Header(string name, object? value) => new() { [name] = value };

    [Fact]
    public async Task Forged_expired_alg_none_wrong_key_and_wrong_signer_oidc_tokens_are_refused_and_nothing_is_issued()
    {
        await using var scenario = await EdgeHardeningScenario.StartAsync(Ct);
        var tokens = scenario.Tokens;
        var now = TimeProvider.System.GetUtcNow();
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var genuine = tokens.Create(TimeProvider.System);
        var otherUser = tokens.Create(TimeProvider.System, claims: new Dictionary<string, object?> { ["email"] = "mallory@example.net" });
        var genuineParts = genuine.Split('.');
        var forgeries = new Dictionary<string, string>
        {
            ["signed with another key"] = tokens.Create(TimeProvider.System, signWith: attackerKey),
            ["expired"] = tokens.Create(TimeProvider.System,
                claims: new Dictionary<string, object?> { ["exp"] = now.AddMinutes(-10).ToUnixTimeSeconds() },
                header: Header("exp", now.AddMinutes(-10).ToUnixTimeSeconds())),
            ["alg none, signature kept"] = tokens.Create(TimeProvider.System, header: Header("alg", "none")),
            ["alg none, no signature"] = string.Join('.', tokens.Create(TimeProvider.System, header: Header("alg", "none")).Split('.')[..2]) + ".",
            ["HS256 with the public key as secret"] = tokens.Create(TimeProvider.System, header: Header("alg", "HS256")),
            ["another ALB as signer"] = tokens.Create(TimeProvider.System, header: Header("signer", OtherAlb)),
            ["payload of another user under a genuine signature"] = $"{otherUser.Split('.')[0]}.{otherUser.Split('.')[1]}.{genuineParts[2]}",
            ["a made-up kid"] = tokens.Create(TimeProvider.System, header: Header("kid", "00000000-dead-beef-0000-000000000000")),
        };

        foreach (var (what, token) in forgeries)
        {
            using var refused = await scenario.SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/", r => r.Headers.Add("x-amzn-oidc-data", token), Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, scenario.Mirage.Explain($"{what}: answered {(int)refused.StatusCode}, not 401"));
            Assert.Null(EdgeHardeningScenario.AuthCookieOf(refused));
        }
        // The control: the same server does let a genuine token in and issues the cookie.
        using var allowed = await scenario.SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/", r => r.Headers.Add("x-amzn-oidc-data", genuine), Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.NotNull(EdgeHardeningScenario.AuthCookieOf(allowed));
        // Only the genuine kid's key was ever fetched, once; no key was looked up for another ALB.
        Assert.Equal(1, scenario.Keys.Hits(EdgeHardeningScenario.Kid));
        // The test-only key endpoint never goes unnoticed.
        Assert.Contains("MIRAGE_TEST_ALB_KEY_ENDPOINT is set", scenario.Mirage.Output, StringComparison.Ordinal);
        await scenario.AssertAliveAsync(Ct);
    }

    [Fact]
    public async Task Forged_expired_and_tampered_auth_cookies_are_refused_at_the_edge()
    {
        await using var scenario = await EdgeHardeningScenario.StartAsync(Ct);
        await scenario.LaunchEchoAsync("guarded", Ct);
        var valid = await scenario.LoginCookieAsync(Ct);
        var now = TimeProvider.System.GetUtcNow();
        var parts = valid.Split('.');
        var forgeries = new Dictionary<string, string?>
        {
            ["no cookie"] = null,
            ["signed with another secret"] = Cookie("not-the-secret", now.AddHours(1)),
            ["expired, signed with the right secret"] = Cookie(EdgeHardeningScenario.CookieSecret, now.AddMinutes(-1)),
            ["payload extended under the old signature"] = $"{parts[0]}.{Segment(Encoding.UTF8.GetBytes($"{{\"expire_at\":{now.AddYears(10).ToUnixTimeSeconds()}}}"))}.{parts[2]}",
            ["alg none"] = $"{Segment("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray())}.{parts[1]}.",
            ["signature cut short"] = valid[..^4],
        };

        foreach (var (what, cookie) in forgeries)
        {
            using var refused = await scenario.SendAsync(HttpMethod.Get, "guarded.localtest.me", "/", r =>
            {
                if (cookie is not null)
                {
                    r.Headers.Add("Cookie", $"mirage-ecs-auth={cookie}");
                }
            }, Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, scenario.Mirage.Explain($"{what}: answered {(int)refused.StatusCode}, not 403"));
            // Mirage's own answer, not the task's (which would echo the request headers).
            Assert.Equal("Forbidden\n", await refused.Content.ReadAsStringAsync(Ct));
        }
        using var allowed = await scenario.SendAsync(HttpMethod.Get, "guarded.localtest.me", "/", r => r.Headers.Add("Cookie", $"mirage-ecs-auth={valid}"), Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await scenario.AssertAliveAsync(Ct);
    }

    [Fact]
    public async Task An_amzn_oidc_config_without_alb_arn_does_not_start_and_says_what_to_write()
    {
        var taskDefinitions = EdgeHardeningScenario.WriteTaskDefinitions();
        try
        {
            var unpinned = EdgeHardeningScenario.Config("""
                  amzn_oidc:
                    claim: email
                    matchers:
                      - suffix: "@example.com"
                """);
            var start = MirageProcess.StartAsync(EdgeHardeningScenario.Options(unpinned, taskDefinitions, new Dictionary<string, string>()), Ct);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);

            Assert.Contains("mirage exited with code 1 before answering", error.Message, StringComparison.Ordinal);
            Assert.Contains("auth.amzn_oidc.alb_arn is required", error.Message, StringComparison.Ordinal);
            Assert.Contains("terraform output alb_arn", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(taskDefinitions, recursive: true);
        }
    }

    [Fact]
    public async Task A_key_endpoint_override_in_plain_http_off_this_machine_does_not_start()
    {
        var taskDefinitions = EdgeHardeningScenario.WriteTaskDefinitions();
        try
        {
            // Refused at start: nothing is ever sent to this address.
            var start = MirageProcess.StartAsync(EdgeHardeningScenario.Options(EdgeHardeningScenario.Config(), taskDefinitions,
                new Dictionary<string, string> { ["MIRAGE_TEST_ALB_KEY_ENDPOINT"] = "http://keys.example.com/" }), Ct);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);

            Assert.Contains("mirage exited with code 1 before answering", error.Message, StringComparison.Ordinal);
            Assert.Contains("MIRAGE_TEST_ALB_KEY_ENDPOINT must be an https URL", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(taskDefinitions, recursive: true);
        }
    }

    // An HS256 mirage-ecs-auth cookie as Mirage issues it: header, {"expire_at": seconds}, HMAC-SHA256 signature.
    private static string Cookie(string secret, DateTimeOffset expireAt)
    {
        var input = $"{Segment("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8.ToArray())}.{Segment(Encoding.UTF8.GetBytes($"{{\"expire_at\":{expireAt.ToUnixTimeSeconds()}}}"))}";
        return input + "." + Segment(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(input)));
    }

    private static string Segment(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
