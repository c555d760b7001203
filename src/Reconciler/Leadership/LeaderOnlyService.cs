using Microsoft.Extensions.Hosting;

namespace Mirage.Reconciler.Leadership;

/// <summary>A hosted service that runs only while this replica leads (started and stopped by <see cref="LeaderOnlyServices"/>).</summary>
public sealed record LeaderOnlyService(IHostedService Service);
