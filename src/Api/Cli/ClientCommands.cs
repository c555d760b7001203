using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Mirage.Api.Cli;

/// <summary>
/// <c>mirage launch|list|logs|terminate</c>: a client for people and CI. The server is <c>--url</c> (or MIRAGE_URL);
/// the token comes from MIRAGE_TOKEN and is sent in the header MIRAGE_TOKEN_HEADER names (default x-mirage-token).
/// </summary>
public static class ClientCommands
{
    public static readonly string[] Names = ["launch", "list", "logs", "terminate"];

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(
        string command, IReadOnlyList<string> args, Func<string, string?> environment, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var url = new Option<string>("--url") { Description = "Mirage's web API address (default: $MIRAGE_URL)", Recursive = true };
        var host = new Option<string?>("--host") { Description = "Host header to send, when --url is an IP address (e.g. mirage.localtest.me)", Recursive = true };
        var root = new RootCommand("Mirage command-line client") { Options = { url, host } };

        var subdomain = new Argument<string>("subdomain") { Description = "the environment's subdomain" };
        var branch = new Option<string>("--branch", "-b") { Description = "branch to deploy", DefaultValueFactory = _ => "" };
        var taskdefs = new Option<string[]>("--taskdef", "-t") { Description = "task definition (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = true };
        var parameters = new Option<string[]>("--param", "-p") { Description = "name=value parameter (repeat for several)", DefaultValueFactory = _ => [] };
        var wait = new Option<bool>("--wait", "-w") { Description = "wait until the environment is ready, showing progress" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait with --wait", DefaultValueFactory = _ => 300 };
        var launch = new Command("launch", "Launch (or relaunch) an environment") { subdomain, branch, taskdefs, parameters, wait, timeout };
        root.Subcommands.Add(launch);

        var list = new Command("list", "List environments");
        root.Subcommands.Add(list);

        var logsSubdomain = new Argument<string>("subdomain") { Description = "the environment's subdomain" };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new lines" };
        var tail = new Option<int>("--tail", "-n") { Description = "only the last N lines", DefaultValueFactory = _ => 0 };
        var logs = new Command("logs", "Show an environment's logs") { logsSubdomain, follow, tail };
        root.Subcommands.Add(logs);

        var terminateSubdomain = new Argument<string>("subdomain") { Description = "the environment's subdomain" };
        var terminate = new Command("terminate", "Terminate an environment") { terminateSubdomain };
        root.Subcommands.Add(terminate);

        MirageClient Client(ParseResult result)
        {
            var address = result.GetValue(url) ?? environment("MIRAGE_URL");
            if (string.IsNullOrEmpty(address))
            {
                throw new ClientException("give the server with --url or MIRAGE_URL, e.g. http://mirage.localtest.me:8080");
            }
            var http = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
            return new MirageClient(http, result.GetValue(host), environment("MIRAGE_TOKEN_HEADER") ?? "x-mirage-token", environment("MIRAGE_TOKEN"));
        }

        launch.SetAction(async (result, ct) =>
        {
            var client = Client(result);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in result.GetValue(parameters) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ClientException($"--param {pair}: write it as name=value");
                }
                values[pair[..equals]] = pair[(equals + 1)..];
            }
            var name = result.GetValue(subdomain)!;
            var (status, body) = await client.PostAsync("/api/launch", new LaunchBody(name, result.GetValue(branch)!, result.GetValue(taskdefs)!, values), ct);
            if (status != 200)
            {
                throw new ClientException(Message(status, body));
            }
            await output.WriteLineAsync($"launched {name}");
            return result.GetValue(wait) ? await WaitReadyAsync(client, name, TimeSpan.FromSeconds(result.GetValue(timeout)), time, output, ct) : 0;
        });

        list.SetAction(async (result, ct) =>
        {
            var (status, body) = await Client(result).GetAsync("/api/environments", ct);
            if (status != 200)
            {
                throw new ClientException(Message(status, body));
            }
            await output.WriteLineAsync($"{"SUBDOMAIN",-24} {"STATE",-12} {"BRANCH",-24} URL");
            foreach (var environmentDetails in body.GetProperty("result").EnumerateArray())
            {
                var intent = environmentDetails.GetProperty("intent");
                var state = environmentDetails.TryGetProperty("status", out var s) ? s.GetProperty("state").GetString() : "pending";
                var branchName = intent.TryGetProperty("parameters", out var p) && p.TryGetProperty("branch", out var b) ? b.GetString() : "";
                await output.WriteLineAsync($"{intent.GetProperty("subdomain").GetString(),-24} {state,-12} {branchName,-24} {environmentDetails.GetProperty("url").GetString()}");
            }
            return 0;
        });

        logs.SetAction(async (result, ct) =>
        {
            var client = Client(result);
            var name = result.GetValue(logsSubdomain)!;
            var lines = result.GetValue(tail);
            var query = $"/api/logs?subdomain={Uri.EscapeDataString(name)}" + (lines > 0 ? $"&tail={lines}" : "");
            while (true)
            {
                var asked = time.GetUtcNow();
                var (status, body) = await client.GetAsync(query, ct);
                if (status != 200)
                {
                    throw new ClientException(Message(status, body));
                }
                if (body.TryGetProperty("result", out var lineArray) && lineArray.ValueKind == JsonValueKind.Array)
                {
                    foreach (var line in lineArray.EnumerateArray())
                    {
                        await output.WriteLineAsync(line.GetString());
                    }
                }
                if (!result.GetValue(follow))
                {
                    return 0;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
                query = $"/api/logs?subdomain={Uri.EscapeDataString(name)}&since={Uri.EscapeDataString(asked.ToString("O", CultureInfo.InvariantCulture))}";
            }
        });

        terminate.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(terminateSubdomain)!;
            var (status, body) = await Client(result).PostAsync("/api/terminate", new TerminateBody(name), ct);
            if (status != 200)
            {
                throw new ClientException(Message(status, body));
            }
            await output.WriteLineAsync($"terminating {name}");
            return 0;
        });

        try
        {
            var parsed = root.Parse([command, .. args]);
            // Our own handler below turns failures into one readable line and exit code 1.
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (ClientException e)
        {
            await error.WriteLineAsync($"mirage {command}: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"mirage {command}: cannot reach the server: {e.Message}");
            return 1;
        }
    }

    // Progress until Ready: the state and every new event, as the reconciler records them.
    private static async Task<int> WaitReadyAsync(MirageClient client, string subdomain, TimeSpan timeout, TimeProvider time, TextWriter output, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var seenEvents = 0;
        string? lastState = null;
        long? revision = null;
        while (time.GetUtcNow() < deadline)
        {
            var (status, body) = await client.GetAsync($"/api/environments/{Uri.EscapeDataString(subdomain)}", cancellationToken);
            if (status == 200)
            {
                revision ??= body.GetProperty("intent").GetProperty("revision").GetInt64();
                if (body.TryGetProperty("status", out var environmentStatus) && environmentStatus.GetProperty("observedRevision").GetInt64() == revision)
                {
                    var events = environmentStatus.GetProperty("events").EnumerateArray().ToList();
                    foreach (var e in events.Skip(seenEvents))
                    {
                        await output.WriteLineAsync($"  {e.GetProperty("reason").GetString()}: {e.GetProperty("message").GetString()}");
                    }
                    seenEvents = events.Count;
                    var state = environmentStatus.GetProperty("state").GetString();
                    if (state != lastState)
                    {
                        await output.WriteLineAsync($"{subdomain} is {state}");
                        lastState = state;
                    }
                    var ready = environmentStatus.GetProperty("conditions").EnumerateArray()
                        .FirstOrDefault(c => c.GetProperty("type").GetString() == "Ready");
                    if (ready.ValueKind == JsonValueKind.Object && ready.GetProperty("status").GetString() == "true")
                    {
                        await output.WriteLineAsync($"{subdomain} is ready: {body.GetProperty("url").GetString()}");
                        return 0;
                    }
                    if (state == "failed")
                    {
                        throw new ClientException($"{subdomain} failed: {ready.GetProperty("message").GetString()}");
                    }
                }
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
        throw new ClientException($"{subdomain} is not ready after {timeout.TotalSeconds:0} s (last state: {lastState ?? "pending"})");
    }

    private static string Message(int status, JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.String
            ? $"{status}: {result.GetString()}"
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("message", out var message) ? $"{status}: {message.GetString()}" : $"{status}: {body}";

    private sealed class ClientException(string message) : Exception(message);
}
