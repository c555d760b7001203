namespace Mirage.GoTemplates.Execution;

/// <summary>A function a template may call (Go's FuncMap entry): the call in, a value out; throw <see cref="GoRenderException"/> to fail the render.</summary>
public delegate object? GoFunction(GoCall call);
