using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Api.CommandLine;
using Mirage.Api.Hosting;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Model.Configuration;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Auth;

/// <summary>The auth rules in the composed server (<see cref="MirageServer.Build"/>), against its real endpoints.</summary>
public sealed class MirageServerAuthTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mirage-auth-").FullName;
    private readonly CapturedLogs _logs = new();
    private WebApplication _app = null!;
    private WebApiClient _client = null!;
    private int _port;

    public async ValueTask InitializeAsync()
    {
        _port = FreePort.Next();
        var taskDefinitions = Directory.CreateDirectory(Path.Combine(_dataDir, "task-definitions")).FullName;
        var config = new MirageConfig
        {
            Host = new HostConfig { WebApi = AuthTestServer.WebApi, ReverseProxySuffix = AuthTestServer.Suffix },
            Listen = new ListenConfig { ForeignAddress = "127.0.0.1", Http = [new ListenPort(_port, 80)] },
            Auth = new AuthConfig
            {
                CookieSecret = "server-cookie-secret",
                Token = new TokenAuthConfig("x-mirage-token", "server-token"),
                Basic = new BasicAuthConfig("admin", "server-password"),
            },
            Local = new LocalConfig { DataDir = Path.Combine(_dataDir, "data"), TaskDefinitions = taskDefinitions },
        };
        var options = new CommandLineOptions { Local = true, LogLevel = LogLevel.Debug };
        _app = MirageServer.Build(options, new ConfigLoadResult(config, []), []);
        _app.Services.GetRequiredService<ILoggerFactory>().AddProvider(_logs);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _client = new WebApiClient(_port);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task The_web_ui_takes_basic_and_issues_the_cookie()
    {
        var refused = await _client.GetAsync("/");
        var allowed = await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("admin", "server-password")));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("Basic realm=\"Restricted\"", Assert.Single(refused.Headers.WwwAuthenticate).ToString());
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.NotNull(allowed.AuthCookieValue);
    }

    [Fact]
    public async Task The_api_takes_the_token_only()
    {
        var byToken = await _client.GetAsync("/api/list", h => h.Add("x-mirage-token", "server-token"));
        var byBasic = await _client.GetAsync("/api/list", h => h.Add("Authorization", WebApiClient.BasicHeader("admin", "server-password")));

        Assert.Equal(HttpStatusCode.OK, byToken.Status);
        Assert.Equal("""{"result":[]}""", byToken.Body);
        Assert.Empty(byToken.SetCookies);
        Assert.Equal(HttpStatusCode.Unauthorized, byBasic.Status);
    }

    [Fact]
    public async Task Api_posts_need_json_before_auth_and_the_token_after()
    {
        var form = await _client.PostAsync("/api/terminate", WebApiClient.Form(("subdomain", "feature-x")));
        var noToken = await _client.PostAsync("/api/terminate", WebApiClient.Json("""{"subdomain":"feature-x"}"""));
        var withToken = await _client.PostAsync("/api/terminate", WebApiClient.Json("""{"subdomain":"feature-x"}"""), h => h.Add("x-mirage-token", "server-token"));

        Assert.Equal(HttpStatusCode.BadRequest, form.Status);
        Assert.Contains("\"detail\":", form.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.Status);
        Assert.NotEqual(HttpStatusCode.Unauthorized, withToken.Status);
        Assert.NotEqual(HttpStatusCode.BadRequest, withToken.Status);
    }

    [Fact]
    public async Task Environment_hosts_and_the_health_answer_are_not_behind_web_auth()
    {
        using var environment = new WebApiClient(_port, "feature-x.localtest.me");
        using var health = new WebApiClient(_port, "127.0.0.1");

        var notFound = await environment.GetAsync("/");
        var healthy = await health.GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        Assert.Equal(HttpStatusCode.OK, healthy.Status);
    }

    [Fact]
    public async Task Secrets_never_reach_the_server_logs()
    {
        await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("admin", "server-password")));
        await _client.GetAsync("/", h => h.Add("x-mirage-token", "server-token"));
        await _client.GetAsync("/api/list", h => h.Add("x-mirage-token", "server-token-wrong"));

        Assert.Contains(_logs.Lines, l => l.Contains("allowed by basic", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("refused (401)", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("server-token", StringComparison.Ordinal)
            || l.Contains("server-password", StringComparison.Ordinal)
            || l.Contains("server-cookie-secret", StringComparison.Ordinal)
            || l.Contains(WebApiClient.BasicHeader("admin", "server-password")[6..], StringComparison.Ordinal));
    }
}
