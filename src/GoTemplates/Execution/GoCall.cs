namespace Mirage.GoTemplates.Execution;

/// <summary>One call of a <see cref="GoFunction"/>: the evaluated arguments (a piped value last) and where the call is written.</summary>
/// <param name="Origin">The file (or template name) holding the call.</param>
/// <param name="Line">1-based line of the function name in <paramref name="Origin"/>.</param>
public sealed record GoCall(IReadOnlyList<object?> Arguments, string Origin, int Line);
