namespace Mirage.Api.Web.Pages;

/// <summary>The model of <c>list.html</c> (and of <c>index.html</c>, which includes it).</summary>
/// <param name="Rows">One row per environment that is wanted or still terminating, sorted by subdomain.</param>
/// <param name="Terminated">Environments terminated recently (kept a while by the reconciler, then forgotten).</param>
/// <param name="Busy">Some environment is on its way somewhere: the page refreshes more often.</param>
public sealed record ListModel(IReadOnlyList<ListRow> Rows, IReadOnlyList<ListRow> Terminated, bool Busy, string GeneratedAtIso)
{
    /// <summary>Set when the backend could not be asked for tasks: the rows come from what Mirage last saw.</summary>
    public string? Warning { get; init; }

    public int Count => Rows.Count;
    public bool Empty => Rows.Count == 0;
    public bool HasTerminated => Terminated.Count > 0;
    public int TerminatedCount => Terminated.Count;
}

/// <summary>One environment in the list.</summary>
public sealed record ListRow
{
    public required string Subdomain { get; init; }
    public required string Branch { get; init; }
    public required IReadOnlyList<string> TaskDefinitions { get; init; }

    /// <summary>Pending, Launching, Running, Relaunching, Terminating, Terminated or Failed.</summary>
    public required string State { get; init; }

    /// <summary><see cref="State"/> in lower case, for CSS classes.</summary>
    public string StateClass => State.ToLowerInvariant();

    public bool Busy => State is "Pending" or "Launching" or "Relaunching" or "Terminating";

    /// <summary>Why it is not ready yet (or why it failed); empty when ready.</summary>
    public required string Message { get; init; }

    public required string Started { get; init; }
    public required string StartedIso { get; init; }

    /// <summary>The environment's URL; empty for wildcard patterns.</summary>
    public required string Url { get; init; }

    /// <summary><see cref="Url"/> without its scheme and trailing slash, for display.</summary>
    public string UrlLabel => Url.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).TrimEnd('/');

    public required string DetailsUrl { get; init; }
    public required IReadOnlyList<ListTask> Tasks { get; init; }

    /// <summary>False while it is terminating, and for environments owned by the desired-environments file.</summary>
    public required bool CanTerminate { get; init; }

    /// <summary>api, gitops or adopted.</summary>
    public required string Source { get; init; }

    /// <summary>Requests per hour over the last day, a small inline SVG (<see cref="AccessChart"/>): write <c>{{{Sparkline}}}</c>.</summary>
    public string Sparkline { get; init; } = "";
}

/// <param name="Abbrev">The first 8 characters of the task id, as mirage-ecs shows it.</param>
public sealed record ListTask(string ShortId, string Abbrev, string LastStatus, string TraceUrl);
