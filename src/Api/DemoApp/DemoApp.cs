using System.Net;
using System.Text;
using System.Text.Json;

namespace Mirage.Api.DemoApp;

/// <summary>
/// <c>mirage demo-app</c>: the small web app the default local task definition runs, so a new user sees a real
/// environment with no image of their own. It shows the subdomain, branch, environment and its own ECS task metadata.
/// </summary>
public static class DemoApp
{
    // Names that look like secrets are shown masked, so the page can be shared in a review.
    private static readonly string[] SecretMarkers = ["SECRET", "TOKEN", "PASSWORD", "KEY", "CREDENTIAL"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 8080;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton(TimeProvider.System);
        var app = builder.Build();
        // One line per request on stdout: the task's log, so the environment page and traces have something to show.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Path != "/healthz")
            {
                await Console.Out.WriteLineAsync($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} {context.Response.StatusCode} host={context.Request.Host}");
            }
        });
        app.Lifetime.ApplicationStarted.Register(() =>
            Console.WriteLine($"demo-app serving {Environment.GetEnvironmentVariable("SUBDOMAIN") ?? "(no subdomain)"} on 127.0.0.1:{port}"));
        app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine("demo-app stopping"));

        app.MapGet("/healthz", () => "ok\n");
        // Sends the request body back as it came, so a test can tell a body arrived intact through the Edge.
        app.MapPost("/echo", async (HttpContext context) =>
        {
            context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
            await context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/", async (HttpContext context, IHttpClientFactory clients, TimeProvider time) =>
        {
            var metadata = await ReadTaskMetadataAsync(clients.CreateClient(), time, context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Render(context.Request, metadata), context.RequestAborted);
        });
        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<string> ReadTaskMetadataAsync(HttpClient client, TimeProvider time, CancellationToken cancellationToken)
    {
        var uri = Environment.GetEnvironmentVariable("ECS_CONTAINER_METADATA_URI_V4");
        if (string.IsNullOrEmpty(uri))
        {
            return "(ECS_CONTAINER_METADATA_URI_V4 is not set)";
        }
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var json = await client.GetStringAsync(new Uri(uri + "/task"), timeout.Token);
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, IndentedJson.Default.JsonElement);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException)
        {
            return $"(could not read task metadata: {e.Message})";
        }
    }

    private static string Render(HttpRequest request, string metadata)
    {
        var subdomain = Environment.GetEnvironmentVariable("SUBDOMAINRAW") ?? Environment.GetEnvironmentVariable("SUBDOMAIN") ?? "(none)";
        var branch = Environment.GetEnvironmentVariable("GIT_BRANCH") ?? "(none)";
        var environment = new StringBuilder();
        foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                     .Select(e => ((string)e.Key, e.Value as string ?? ""))
                     .Where(e => !IsShellNoise(e.Item1))
                     .OrderBy(e => e.Item1, StringComparer.Ordinal))
        {
            var shown = SecretMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase)) ? "••••" : value;
            environment.Append($"<tr><th>{Html(name)}</th><td>{Html(shown)}</td></tr>");
        }
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Html(subdomain)}} · Mirage demo</title>
            <style>
              body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1f2933; padding: 0 1rem; }
              h1 { margin-bottom: .2rem; } .sub { color: #52606d; margin-top: 0; }
              table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
              th { width: 16rem; font-weight: 600; } pre { background: #f5f7fa; padding: 1rem; overflow: auto; border-radius: 6px; }
            </style></head>
            <body>
            <h1 id="subdomain">{{Html(subdomain)}}</h1>
            <p class="sub">branch <strong id="branch">{{Html(branch)}}</strong> · served to <code>{{Html(request.Host.ToString())}}</code> by a Mirage demo task</p>
            <h2>Environment</h2>
            <table>{{environment}}</table>
            <h2>Task metadata</h2>
            <pre id="metadata">{{Html(metadata)}}</pre>
            </body></html>
            """;
    }

    // The process's own plumbing, not what the launch passed in.
    private static bool IsShellNoise(string name) =>
        name is "PATH" or "HOME" or "USER" or "SHELL" or "PWD" or "OLDPWD" or "SHLVL" or "TERM" or "LANG" or "HOSTNAME" or "LOGNAME" ||
        name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("LC_", StringComparison.Ordinal) ||
        name.StartsWith("XDG_", StringComparison.Ordinal) || name.StartsWith("NUGET_", StringComparison.Ordinal);

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
