namespace Mirage.GoTemplates.Execution;

/// <summary>A fault found while rendering (Go reports these at Execute too); the executor adds the template and line.</summary>
public sealed class GoRenderException(string message) : Exception(message);
