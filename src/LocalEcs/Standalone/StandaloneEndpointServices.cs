using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Docker;

namespace Mirage.LocalEcs.Standalone;

/// <summary>What the standalone routes need, as one service.</summary>
public sealed class StandaloneEndpointServices(
    StandaloneSettings settings,
    DockerEngineClient engine,
    StandaloneMetadataBuilder metadata,
    TaskCredentialsProvider credentials,
    TimeProvider time,
    ILogger<StandaloneEndpointServices> logger)
{
    public StandaloneSettings Settings { get; } = settings;
    public DockerEngineClient Engine { get; } = engine;
    public StandaloneMetadataBuilder Metadata { get; } = metadata;
    public TaskCredentialsProvider Credentials { get; } = credentials;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = logger;
}
