namespace Mirage.Api.Web;

/// <param name="Local">Local mode: the launcher suggests the local task definitions and defaults to <c>demo</c>.</param>
public sealed record WebUiOptions(bool Local);
