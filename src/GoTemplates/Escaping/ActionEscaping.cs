namespace Mirage.GoTemplates.Escaping;

/// <param name="Escapers">Applied in order to the pipeline's value.</param>
/// <param name="DropsPredefinedEscaper">
/// The pipeline ends in <c>html</c> or <c>urlquery</c> and one of <paramref name="Escapers"/> does the same job, so
/// that last command is not run (Go's ensurePipelineContains): <c>{{.X | html}}</c> is escaped once, not twice.
/// </param>
internal sealed record ActionEscaping(EscaperKind[] Escapers, bool DropsPredefinedEscaper);
