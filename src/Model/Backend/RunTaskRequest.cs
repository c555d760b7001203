namespace Mirage.Model.Backend;

/// <param name="TaskDefinition">Family, family:revision or ARN.</param>
/// <param name="Overrides">Per-container environment overrides.</param>
/// <param name="StartedBy">Marks the task as Mirage's (ECS limits it to 36 characters).</param>
/// <param name="ClientToken">Idempotency token: the same token never starts a second task.</param>
public sealed record RunTaskRequest(
    string TaskDefinition,
    IReadOnlyList<ContainerOverride> Overrides,
    IReadOnlyList<EcsTag> Tags,
    string StartedBy,
    string ClientToken);

public sealed record ContainerOverride(string Name, IReadOnlyList<EnvironmentVariable> Environment);

public sealed record EnvironmentVariable(string Name, string Value);

public sealed record EcsTag(string Key, string Value);
