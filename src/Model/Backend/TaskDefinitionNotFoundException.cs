namespace Mirage.Model.Backend;

/// <summary>The named task definition does not exist; a launch with it can never succeed.</summary>
public sealed class TaskDefinitionNotFoundException(string taskDefinition, string? detail = null)
    : Exception(detail is null ? $"task definition {taskDefinition} is not found" : $"task definition {taskDefinition} is not found: {detail}")
{
    public string TaskDefinition { get; } = taskDefinition;
}
