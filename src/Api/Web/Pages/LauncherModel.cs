namespace Mirage.Api.Web.Pages;

/// <summary>The model of <c>launcher.html</c>.</summary>
public sealed record LauncherModel
{
    /// <summary>The subdomain typed so far (kept when a launch is refused).</summary>
    public required string Subdomain { get; init; }

    /// <summary>The HTML pattern the subdomain input checks in the browser (the server checks again).</summary>
    public required string SubdomainPattern { get; init; }

    /// <summary>One control per configured parameter, in config order.</summary>
    public required IReadOnlyList<ParameterInput> Parameters { get; init; }

    /// <summary>One input per task definition: what was posted, else the configured defaults.</summary>
    public required IReadOnlyList<string> TaskDefinitions { get; init; }

    /// <summary>Task definition names to suggest (local mode: the files in local.task_definitions).</summary>
    public required IReadOnlyList<string> KnownTaskDefinitions { get; init; }

    public bool HasKnownTaskDefinitions => KnownTaskDefinitions.Count > 0;

    /// <summary>Why the last launch was refused, or null.</summary>
    public WebError? Error { get; init; }
}

public sealed record ParameterInput
{
    public required string Name { get; init; }

    /// <summary>The id of the control: <c>param-{name}</c>.</summary>
    public required string InputId { get; init; }

    public required string Value { get; init; }
    public required string Default { get; init; }

    /// <summary><c>your {name}</c>, as mirage-ecs.</summary>
    public required string Placeholder { get; init; }

    public required bool Required { get; init; }

    /// <summary>The name looks secret: a password input, never pre-filled with what was sent.</summary>
    public required bool IsSecret { get; init; }

    public required string Description { get; init; }

    /// <summary>The rule the server checks (RE2); shown as a hint, not enforced by the browser.</summary>
    public required string Rule { get; init; }

    public bool HasOptions => Options.Count > 0;
    public required IReadOnlyList<OptionView> Options { get; init; }
}

public sealed record OptionView(string Label, string Value, bool Selected);
