namespace Mirage.GoTemplates.Execution;

/// <summary>A function a template may call (Go's FuncMap entry): the evaluated arguments in, a value out; throw to fail the render.</summary>
public delegate object? GoFunction(IReadOnlyList<object?> arguments);
