using System.Net;
using System.Text;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 7: numbers out of range and cross-origin forms, against a real mirage in local mode with
/// <c>--compat-v1</c> (forms accepted) and no <c>auth</c> (the most open setup). Each attack must be refused with a 400
/// that says what to fix, change nothing, and leave the process serving.
/// </summary>
public sealed class ApiNumbersAndFormsAttackTests(ApiNumbersAndFormsAttackTests.OpenMirage open) : IClassFixture<ApiNumbersAndFormsAttackTests.OpenMirage>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/api/access?subdomain=keeper&duration=99999999999999", "duration must be a whole number from 1 to 39312000")]
    [InlineData("GET", "/api/access?subdomain=keeper&duration=-5", "duration must be a whole number from 1 to 39312000")]
    [InlineData("GET", "/api/access?subdomain=keeper&duration=1e9", "duration must be a whole number from 1 to 39312000")]
    [InlineData("GET", "/api/logs?subdomain=keeper&tail=99999999999999", "tail must be a whole number from 0 to 2147483647")]
    [InlineData("GET", "/api/logs?subdomain=keeper&tail=-1", "tail must be a whole number from 0 to 2147483647")]
    [InlineData("POST", "/api/purge|{\"duration\":99999999999999}", "duration must be a whole number from 300 to 39312000")]
    [InlineData("POST", "/api/purge|{\"duration\":\"9223372036854775808\"}", "duration must be a whole number from 300 to 39312000")]
    [InlineData("POST", "/api/purge|{\"duration\":1e30}", "duration must be a whole number from 300 to 39312000")]
    [InlineData("POST", "/api/purge|{\"duration\":-86400}", "duration must be a whole number from 300 to 39312000")]
    [InlineData("POST", "/api/launch|{\"subdomain\":\"intruder\",\"branch\":\"main\",\"taskdef\":[\"sleeper\"],\"wait\":true,\"wait_timeout\":99999999999}", "wait_timeout must be a number of seconds from 1 to")]
    public async Task An_out_of_range_number_is_a_400_naming_the_parameter_and_its_range_and_changes_nothing(string method, string target, string expected)
    {
        var mirage = await open.GetAsync(Token);
        var before = await EnvironmentsAsync(mirage);
        var parts = target.Split('|', 2);
        using var request = new HttpRequestMessage(new HttpMethod(method), parts[0]);
        if (parts.Length == 2)
        {
            request.Content = new StringContent(parts[1], Encoding.UTF8, "application/json");
        }

        using var client = mirage.CreateClient();
        using var response = await client.SendAsync(request, Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, mirage.Explain($"{method} {target} answered {(int)response.StatusCode}: {body}"));
        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.Equal(before, await EnvironmentsAsync(mirage));
        Assert.False(mirage.HasExited, mirage.Explain("mirage exited"));
    }

    [Fact]
    public async Task The_largest_access_window_is_still_answered()
    {
        var mirage = await open.GetAsync(Token);

        var access = await mirage.GetJsonAsync("/api/access?subdomain=keeper&duration=39312000", Token);

        Assert.Equal(39312000, access.GetProperty("duration").GetInt64());
        Assert.Equal(0, access.GetProperty("sum").GetInt64());
    }

    [Theory]
    [InlineData("/api/launch", "http://evil.example", null)]
    [InlineData("/api/launch", null, "cross-site")]
    [InlineData("/api/terminate", "http://evil.example", "cross-site")]
    [InlineData("/api/purge", "http://preview.localtest.me", "same-site")]
    [InlineData("/api/environments/keeper/keep", "null", null)]
    public async Task A_cross_origin_form_post_is_refused_under_compat_v1_without_auth(string path, string? origin, string? fetchSite)
    {
        var mirage = await open.GetAsync(Token);
        var before = await EnvironmentsAsync(mirage);

        using var response = await PostFormAsync(mirage, path, origin, fetchSite,
            [("subdomain", "keeper"), ("branch", "evil"), ("taskdef", "sleeper"), ("duration", "300"), ("keep", "true")]);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, mirage.Explain($"POST {path} answered {(int)response.StatusCode}: {body}"));
        Assert.Contains(fetchSite is null ? "Origin" : "Sec-Fetch-Site", body, StringComparison.Ordinal);
        Assert.Equal(before, await EnvironmentsAsync(mirage));
        Assert.False(mirage.HasExited, mirage.Explain("mirage exited"));
    }

    [Fact]
    public async Task A_form_post_without_browser_headers_or_from_the_web_UI_itself_still_works()
    {
        // mirage-ecs compatibility: curl sends no Origin; the web UI's own pages send their own origin.
        var mirage = await open.GetAsync(Token);

        using var fromCurl = await PostFormAsync(mirage, "/api/launch", null, null, [("subdomain", "curl-form"), ("branch", "main"), ("taskdef", "sleeper")]);
        using var fromUi = await PostFormAsync(mirage, "/api/launch", $"http://{MirageProcess.WebHost}:{mirage.Port}", "same-origin",
            [("subdomain", "ui-form"), ("branch", "main"), ("taskdef", "sleeper")]);

        Assert.Equal(HttpStatusCode.OK, fromCurl.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromUi.StatusCode);
        var subdomains = (await EnvironmentsAsync(mirage)).Split('\n');
        Assert.Contains(subdomains, s => s.StartsWith("curl-form ", StringComparison.Ordinal));
        Assert.Contains(subdomains, s => s.StartsWith("ui-form ", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> PostFormAsync(
        MirageProcess mirage, string path, string? origin, string? fetchSite, IEnumerable<(string Name, string Value)> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }
        using var client = mirage.CreateClient();
        return await client.SendAsync(request, Token);
    }

    // Every environment with what a refused request could have changed: its revision, desired state, branch and pin.
    private static async Task<string> EnvironmentsAsync(MirageProcess mirage)
    {
        var list = await mirage.GetJsonAsync("/api/environments", Token);
        var rows = list.GetProperty("result").EnumerateArray().Select(e =>
        {
            var intent = e.GetProperty("intent");
            return $"{e.GetProperty("subdomain").GetString()} r{intent.GetProperty("revision").GetInt64()} {intent.GetProperty("desired")} " +
                   $"{intent.GetProperty("parameters")} {(intent.TryGetProperty("policy", out var policy) ? policy.ToString() : "")}";
        });
        return string.Join('\n', rows.Order(StringComparer.Ordinal));
    }

    /// <summary>One mirage for the class: local, <c>--compat-v1</c>, no <c>auth</c>, with an environment to protect.</summary>
    public sealed class OpenMirage : IAsyncDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly string _taskDefinitions = Directory.CreateTempSubdirectory("mirage-attack-7-").FullName;
        private MirageProcess? _mirage;

        public async Task<MirageProcess> GetAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_mirage is null)
                {
                    await File.WriteAllTextAsync(Path.Combine(_taskDefinitions, "sleeper.json"), SleeperTaskDefinition.Json("attack-7"), cancellationToken);
                    _mirage = await MirageProcess.StartAsync(new MirageProcessOptions
                    {
                        Arguments = ["--local", "--compat-v1"],
                        TaskDefinitions = _taskDefinitions,
                    }, cancellationToken);
                    using var launch = await _mirage.PostApiAsync("/api/launch", new { subdomain = "keeper", branch = "main", taskdef = new[] { "sleeper" } }, cancellationToken);
                    Assert.True(launch.StatusCode == HttpStatusCode.OK, _mirage.Explain($"launch answered {(int)launch.StatusCode}"));
                }
                return _mirage;
            }
            finally
            {
                _gate.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_mirage is not null)
            {
                await _mirage.DisposeAsync();
            }
            _gate.Dispose();
            Directory.Delete(_taskDefinitions, recursive: true);
        }
    }
}
