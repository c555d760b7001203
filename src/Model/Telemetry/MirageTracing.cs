using System.Diagnostics;

namespace Mirage.Model.Telemetry;

/// <summary>
/// The attribute names Mirage's spans share, and the Model's activity source (the intent writes). An
/// <see cref="ActivitySource"/> is immutable and thread-safe; its listeners are the runtime's, so one static instance is
/// how .NET means it to be used.
/// </summary>
public static class MirageTracing
{
    public const string ModelSourceName = "Mirage.Model";

    /// <summary>The environment's key (subdomain or pattern): never a parameter value, which may be secret.</summary>
    public const string Environment = "mirage.environment";
    public const string Revision = "mirage.intent.revision";

    public static ActivitySource ModelSource { get; } = new(ModelSourceName);

    /// <summary>The W3C <c>traceparent</c> of the current span when it is recorded (sampled in), else null.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;
}
