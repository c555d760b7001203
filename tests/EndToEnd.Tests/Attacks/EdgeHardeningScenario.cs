using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mirage.TestKit;
using Mirage.TestKit.Oidc;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// The Edge/auth slice's attack setup: a real <c>mirage --local</c> with every auth method configured (cookie secret,
/// API token, basic, ALB OIDC pinned to <see cref="AlbTokenFactory.Signer"/> with keys from a loopback
/// <see cref="AlbKeyServer"/>), a listener that requires the auth cookie, and an <c>echo</c> task definition whose
/// process (Python's http.server on 127.0.0.1) answers every GET with the request headers it received.
/// </summary>
public sealed class EdgeHardeningScenario : IAsyncDisposable
{
    public const string CookieSecret = "e2e-cookie-secret-5b0c1f";
    public const string TokenHeader = "x-mirage-token";
    public const string Token = "e2e-api-token-7d41aa";
    public const string BasicUser = "admin";
    public const string BasicPassword = "e2e-basic-password-93f2";
    public const string Kid = "7b1c3c0e-9a77-4d0e-8f55-0e2d8a6b1a01";

    // Prints "Name: value" per request header; argv[1] is the port LocalEcs gives the task.
    private const string EchoServer = """
        import sys, http.server
        class Echo(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = ''.join(f'{k}: {v}\n' for k, v in self.headers.items()).encode()
                self.send_response(200)
                self.send_header('Content-Type', 'text/plain')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), Echo).serve_forever()
        """;

    private readonly string _taskDefinitions;

    private EdgeHardeningScenario(MirageProcess mirage, AlbKeyServer keys, AlbTokenFactory tokens, string taskDefinitions)
    {
        Mirage = mirage;
        Keys = keys;
        Tokens = tokens;
        _taskDefinitions = taskDefinitions;
    }

    public MirageProcess Mirage { get; }

    public AlbKeyServer Keys { get; }

    public AlbTokenFactory Tokens { get; }

    public static string MirageBasicAuthorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BasicUser}:{BasicPassword}"));

    /// <summary>The config, with <c>{albArn}</c> and the auth section filled in; <paramref name="oidc"/> replaces the amzn_oidc block.</summary>
    public static string Config(string? oidc = null) => $$"""
        listen:
          foreign_address: 127.0.0.1
          http:
            - listen: {port}
              target: 80
              require_auth_cookie: true
        local:
          data_dir: {dataDir}
          task_definitions: {taskDefinitions}
          runtime: process
        auth:
          cookie_secret: {{CookieSecret}}
          token:
            header: {{TokenHeader}}
            token: {{Token}}
          basic:
            username: {{BasicUser}}
            password: {{BasicPassword}}
        {{oidc ?? PinnedOidc}}
        """;

    /// <summary>The amzn_oidc block pinned to the test token factory's ALB.</summary>
    public const string PinnedOidc = $"""
          amzn_oidc:
            claim: email
            matchers:
              - suffix: "@example.com"
            alb_arn: {AlbTokenFactory.Signer}
        """;

    /// <summary>Options that answer readiness without credentials: Host 127.0.0.1 gets the Edge's health answer.</summary>
    public static MirageProcessOptions Options(string config, string taskDefinitions, IReadOnlyDictionary<string, string> environment) => new()
    {
        ConfigText = config,
        TaskDefinitions = taskDefinitions,
        Environment = environment,
        WebApiHost = "127.0.0.1",
        ReadyPath = "/",
    };

    /// <summary>A folder with the <c>echo</c> task definition.</summary>
    public static string WriteTaskDefinitions()
    {
        var folder = Directory.CreateTempSubdirectory("mirage-e2e-taskdefs-").FullName;
        var definition = new
        {
            family = "echo",
            containerDefinitions = new[]
            {
                new
                {
                    name = "web",
                    image = "python:3",
                    essential = true,
                    command = new[] { "/usr/bin/python3", "-c", EchoServer, "${PORT}" },
                    portMappings = new[] { new { containerPort = 80, protocol = "tcp" } },
                    stopTimeout = 2,
                },
            },
        };
        File.WriteAllText(Path.Combine(folder, "echo.json"), JsonSerializer.Serialize(definition));
        return folder;
    }

    public static async Task<EdgeHardeningScenario> StartAsync(CancellationToken cancellationToken)
    {
        var keys = await AlbKeyServer.StartAsync();
        var tokens = new AlbTokenFactory(Kid);
        keys.Publish(Kid, tokens.PublicKeyPem);
        var taskDefinitions = WriteTaskDefinitions();
        try
        {
            var mirage = await MirageProcess.StartAsync(Options(Config(), taskDefinitions, new Dictionary<string, string>
            {
                ["MIRAGE_TEST_ALB_KEY_ENDPOINT"] = keys.Endpoint.AbsoluteUri,
            }), cancellationToken);
            return new EdgeHardeningScenario(mirage, keys, tokens, taskDefinitions);
        }
        catch
        {
            await keys.DisposeAsync();
            tokens.Dispose();
            Directory.Delete(taskDefinitions, recursive: true);
            throw;
        }
    }

    /// <summary>Launches the echo task as <paramref name="subdomain"/> through the API (with the token) and waits for it.</summary>
    public async Task LaunchEchoAsync(string subdomain, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, MirageProcess.WebHost, "/api/launch", r =>
        {
            r.Headers.Add(TokenHeader, Token);
            r.Content = JsonContent.Create(new { subdomain, branch = "main", taskdef = new[] { "echo" }, wait = true });
        }, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, Mirage.Explain($"launch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}"));
    }

    /// <summary>The <c>mirage-ecs-auth</c> cookie the web UI issues after a basic-auth login.</summary>
    public async Task<string> LoginCookieAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/", r => r.Headers.Add("Authorization", MirageBasicAuthorization), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return AuthCookieOf(response) ?? throw new InvalidOperationException(Mirage.Explain("the login set no mirage-ecs-auth cookie"));
    }

    /// <summary>The value of the <c>mirage-ecs-auth</c> cookie a response sets, or null.</summary>
    public static string? AuthCookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith("mirage-ecs-auth=", StringComparison.Ordinal)).Select(v => v["mirage-ecs-auth=".Length..].Split(';')[0]).FirstOrDefault()
            : null;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string host, string path, Action<HttpRequestMessage> configure, CancellationToken cancellationToken)
    {
        using var client = Mirage.CreateClient(host);
        using var request = new HttpRequestMessage(method, path);
        configure(request);
        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>The headers the echo task received, name (case-insensitive) to value.</summary>
    public static async Task<Dictionary<string, string>> EchoedHeadersAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.Content.ReadAsStringAsync(cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p.Length > 1 ? p[1] : "")), StringComparer.OrdinalIgnoreCase);

    /// <summary>Mirage is still running and its API answers (with the token).</summary>
    public async Task AssertAliveAsync(CancellationToken cancellationToken)
    {
        Assert.False(Mirage.HasExited, Mirage.Explain("mirage exited"));
        using var list = await SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/api/list", r => r.Headers.Add(TokenHeader, Token), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await Mirage.DisposeAsync();
        await Keys.DisposeAsync();
        Tokens.Dispose();
        Directory.Delete(_taskDefinitions, recursive: true);
    }
}
