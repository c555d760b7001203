namespace Mirage.Api.Web.Pages;

/// <summary>The model of <c>environment.html</c>: one environment's intent, status, tasks and traffic.</summary>
public sealed record EnvironmentModel
{
    public required string Subdomain { get; init; }
    public required string Url { get; init; }
    public required string State { get; init; }
    public string StateClass => State.ToLowerInvariant();
    public bool Busy => State is "Pending" or "Launching" or "Relaunching" or "Terminating";
    public bool IsFailed => State == "Failed";
    public required string Message { get; init; }

    /// <summary>running or terminated: what was asked for.</summary>
    public required string Desired { get; init; }

    public required string Source { get; init; }
    public required string Owner { get; init; }
    public required long Revision { get; init; }
    public required long ObservedRevision { get; init; }
    public required int Restarts { get; init; }
    public required string Branch { get; init; }
    public required IReadOnlyList<string> TaskDefinitions { get; init; }

    /// <summary>Launch parameters; values of secret-looking names are masked.</summary>
    public required IReadOnlyList<NameValue> Parameters { get; init; }

    public required string Policy { get; init; }

    /// <summary>Pinned: never purged or expired.</summary>
    public bool Keep { get; init; }

    /// <summary>The pin can be changed here (a running environment the API owns).</summary>
    public bool CanPin { get; init; }

    /// <summary>Awake and wanted: the Sleep button is offered.</summary>
    public bool CanSleep { get; init; }

    /// <summary>Asleep (or on its way to sleep): the Wake button is offered.</summary>
    public bool CanWake { get; init; }

    /// <summary>Hours asleep in the last 7 days, one decimal ("12.5"): what sleeping saved.</summary>
    public required string SleptThisWeek { get; init; }
    public required string Created { get; init; }
    public required string CreatedIso { get; init; }
    public required string Launched { get; init; }
    public required string LaunchedIso { get; init; }
    public required IReadOnlyList<ConditionView> Conditions { get; init; }

    /// <summary>Recent events, newest first.</summary>
    public required IReadOnlyList<EventView> Events { get; init; }

    public bool HasEvents => Events.Count > 0;

    /// <summary>Tasks whose desired status is RUNNING.</summary>
    public required IReadOnlyList<TaskView> Tasks { get; init; }

    public bool HasTasks => Tasks.Count > 0;

    /// <summary>Recently stopped tasks (for their traces: why did it stop?).</summary>
    public required IReadOnlyList<TaskView> StoppedTasks { get; init; }

    public bool HasStoppedTasks => StoppedTasks.Count > 0;

    /// <summary>Requests proxied to the environment in the last <see cref="AccessWindow"/> ("?" when it could not be read).</summary>
    public required string AccessCount { get; init; }

    /// <summary>Set when the backend could not be asked for tasks or access counts.</summary>
    public string? Warning { get; init; }

    public required string AccessWindow { get; init; }

    /// <summary>Requests per hour over the last day, an inline SVG (<see cref="Pages.AccessChart"/>): write <c>{{{AccessChart}}}</c>.</summary>
    public required string AccessChart { get; init; }

    /// <summary>JSON log lines for the follow view: <c>?since=</c> (ISO time) and <c>?tail=</c>.</summary>
    public required string LogsUrl { get; init; }

    public required bool CanTerminate { get; init; }
}

public sealed record NameValue(string Name, string Value);

/// <param name="StatusClass">true, false or unknown, for CSS.</param>
public sealed record ConditionView(string Type, string Status, string StatusClass, string Reason, string Message, string Since, string SinceIso, bool Current);

public sealed record EventView(string At, string AtIso, string Reason, string Message);

public sealed record TaskView
{
    public required string ShortId { get; init; }
    public required string Arn { get; init; }
    public required string TaskDefinition { get; init; }
    public required string LastStatus { get; init; }
    public string StatusClass => LastStatus.ToLowerInvariant();
    public required string DesiredStatus { get; init; }
    public required string Started { get; init; }
    public required string StartedIso { get; init; }
    public required string Stopped { get; init; }
    public required string StoppedIso { get; init; }
    public required string StoppedReason { get; init; }
    public required IReadOnlyList<ContainerView> Containers { get; init; }
    public required IReadOnlyList<PortView> Ports { get; init; }

    /// <summary>The environment variables it was launched with; secret-looking names are masked.</summary>
    public required IReadOnlyList<NameValue> Environment { get; init; }

    public required string TraceUrl { get; init; }
}

public sealed record ContainerView(string Name, string LastStatus, string ExitCode, string Reason)
{
    public bool Failed => ExitCode is not ("" or "0");
}

/// <param name="Address">Where Mirage forwards to (host:port).</param>
public sealed record PortView(string Container, int ContainerPort, string Address);
