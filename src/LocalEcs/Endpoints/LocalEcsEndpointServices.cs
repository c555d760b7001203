using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>What the metadata and credentials routes need, as one service so any host can map them.</summary>
public sealed class LocalEcsEndpointServices(
    LocalTaskRegistry registry,
    MetadataBuilder metadata,
    StatsSampler stats,
    TaskCredentialsProvider credentials,
    ILogger<LocalEcsEndpointServices> logger)
{
    public LocalTaskRegistry Registry { get; } = registry;
    public MetadataBuilder Metadata { get; } = metadata;
    public StatsSampler Stats { get; } = stats;
    public TaskCredentialsProvider Credentials { get; } = credentials;
    public ILogger Logger { get; } = logger;
}
