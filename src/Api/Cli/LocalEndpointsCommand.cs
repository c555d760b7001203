using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Standalone;

namespace Mirage.Api.Cli;

/// <summary>
/// <c>mirage local-endpoints</c>: the ECS task metadata and credentials endpoints for containers that something else
/// (Docker Compose) started, like the ECS local container endpoints. Settings come from the same environment variables.
/// </summary>
public static partial class LocalEndpointsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "address to listen on, as 169.254.170.2 or 127.0.0.1:51679 (repeat for several; default: 169.254.170.2 when this host has it, else 127.0.0.1, on $ECS_LOCAL_METADATA_PORT, else 80)",
            DefaultValueFactory = _ => [],
        };
        var dockerHost = new Option<string?>("--docker-host") { Description = "the container engine (default: $DOCKER_HOST, else unix:///var/run/docker.sock)" };
        var root = new RootCommand("ECS task metadata (v2, v3, v4) and credentials endpoints for containers started by Docker Compose") { Options = { listen, dockerHost } };
        root.SetAction(async (result, ct) =>
        {
            StandaloneSettings settings;
            try
            {
                var engine = result.GetValue(dockerHost) ?? (environment("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment : DockerEngineClient.DefaultHost());
                settings = StandaloneSettings.FromEnvironment(environment, result.GetValue(listen) ?? [], engine);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"mirage local-endpoints: {e.Message}");
                return 2;
            }
            using var loggerFactory = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
            var logger = loggerFactory.CreateLogger(typeof(LocalEndpointsCommand));
            await using var app = StandaloneEndpointsHost.Build(settings, loggerFactory, TimeProvider.System);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"mirage local-endpoints: cannot listen on {string.Join(", ", settings.Listen)}: {e.Message}; choose another --listen address or ECS_LOCAL_METADATA_PORT");
                return 1;
            }
            LogListening(logger, string.Join(", ", settings.Listen), settings.DockerHost);
            if (settings.Listen.Any(e => e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any)))
            {
                LogEveryInterface(logger);
            }
            if (settings.AuthorizationTokenHash is null)
            {
                LogNoToken(logger);
            }
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        var parsed = root.Parse([.. args]);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "local endpoints listen on {Addresses}; containers come from the engine at {DockerHost}")]
    private static partial void LogListening(ILogger logger, string addresses, string dockerHost);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "listening on every interface: credentials still need LOCAL_ENDPOINTS_TOKEN and are only answered to this host and to running containers of the engine")]
    private static partial void LogEveryInterface(ILogger logger);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "LOCAL_ENDPOINTS_TOKEN is not set: credentials are vended to nobody (metadata still answers); set it and give containers the same value as AWS_CONTAINER_AUTHORIZATION_TOKEN")]
    private static partial void LogNoToken(ILogger logger);
}
