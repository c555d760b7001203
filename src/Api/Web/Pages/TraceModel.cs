namespace Mirage.Api.Web.Pages;

/// <summary>The model of <c>trace.html</c>.</summary>
public sealed record TraceModel
{
    public required string TaskId { get; init; }
    public required string Arn { get; init; }
    public required string Cluster { get; init; }
    public required string Subdomain { get; init; }
    public required string DetailsUrl { get; init; }
    public required string TaskDefinition { get; init; }
    public required string LastStatus { get; init; }
    public string StatusClass => LastStatus.ToLowerInvariant();
    public required string DesiredStatus { get; init; }

    /// <summary>Created, pull started/stopped, started, stopping, execution stopped, stopped: reached or not, with the time since creation.</summary>
    public required IReadOnlyList<MilestoneView> Milestones { get; init; }

    public required string StoppedReason { get; init; }
    public required string StopCode { get; init; }
    public bool HasStop => StoppedReason.Length > 0 || StopCode.Length > 0;
    public required IReadOnlyList<ContainerView> Containers { get; init; }

    /// <summary>Every line of the trace, oldest first.</summary>
    public required IReadOnlyList<TraceEntryView> Entries { get; init; }

    public required int LogLineCount { get; init; }

    /// <summary>The whole trace as text (what <c>?format=text</c> answers).</summary>
    public required string Text { get; init; }

    public required string TextUrl { get; init; }
}

/// <param name="Time">The time of day with milliseconds (UTC), for a compact time line.</param>
/// <param name="Offset">Time since the task was created, e.g. "+1.2 s".</param>
public sealed record MilestoneView(string Label, bool Reached, string At, string AtIso, string Time, string Offset);

/// <param name="Kind">lifecycle, stop, status or log, for CSS.</param>
public sealed record TraceEntryView(string At, string AtIso, string Source, string Message, string Kind)
{
    public bool IsLog => Kind == "log";
}
