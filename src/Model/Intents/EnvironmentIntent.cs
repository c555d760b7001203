using System.Text.Json.Serialization;

namespace Mirage.Model.Intents;

/// <summary>
/// The desired state of one environment, as recorded by the API, the GitOps file, or adoption. Every change bumps
/// <see cref="Revision"/>; the reconciler converges the backend to it and reports progress in <see cref="EnvironmentStatus"/>.
/// </summary>
public sealed record EnvironmentIntent
{
    /// <summary>Lower-cased subdomain or path.Match pattern; the key of the intent.</summary>
    public required string Subdomain { get; init; }

    /// <summary>Task definitions to run: family, family:revision or ARN; one task each.</summary>
    public required IReadOnlyList<string> TaskDefinitions { get; init; }

    /// <summary>Configured parameters by name (branch included), after defaults; become env vars and tags.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IntentSource Source { get; init; } = IntentSource.Api;

    /// <summary>For GitOps intents, the file that owns the environment.</summary>
    public string? Owner { get; init; }

    public DesiredState Desired { get; init; } = DesiredState.Running;

    /// <summary>
    /// Wanted asleep: tasks stopped, route kept. Set by sleep_after or a sleep request; cleared by a request to its host,
    /// a wake request or a relaunch. Not a <see cref="DesiredState"/>: a sleeping environment is still one that exists
    /// (purge, keep and the GitOps file treat it as running).
    /// </summary>
    /// <remarks>Left out of the JSON while false, so intents written before sleep existed read and write the same.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Asleep { get; init; }

    /// <summary>Starts at 1; each accepted change adds one. A write with a stale revision is a conflict.</summary>
    public long Revision { get; init; } = 1;

    public LifecyclePolicy Policy { get; init; } = LifecyclePolicy.Default;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When tasks were last (re)launched for this intent; TTL counts from here.</summary>
    public DateTimeOffset? LaunchedAt { get; init; }

    /// <summary>
    /// Why this revision was recorded when it was not a plain API call (a policy fired, a purge, the GitOps file); the
    /// reconciler adds it to the environment's history once, when it first sees the revision.
    /// </summary>
    public EnvironmentEvent? Cause { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that recorded this revision (an API request, a policy's pass), when it was
    /// traced: the passes that carry the revision out continue that trace. Null when tracing is off; every write
    /// replaces it, so a later untraced revision never continues an old trace.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>Derived from <see cref="Parameters"/>, so not stored.</summary>
    [JsonIgnore]
    public string Branch => Parameters.TryGetValue("branch", out var branch) ? branch : "";
}
