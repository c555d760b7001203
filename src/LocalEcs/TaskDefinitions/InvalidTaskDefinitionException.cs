namespace Mirage.LocalEcs.TaskDefinitions;

/// <summary>A task definition file that cannot run locally; the message says what to change.</summary>
public sealed class InvalidTaskDefinitionException(string message) : Exception(message);
