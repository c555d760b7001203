namespace Mirage.Api.Web.Pages;

/// <summary>
/// The model of <c>index.html</c> (the page at <c>/</c>): the list, an error when a form post was refused, and the
/// desired-environments file's error while it cannot be applied (Mirage keeps the last good file meanwhile).
/// </summary>
public sealed record IndexModel(ListModel List, WebError? Error, string? GitOpsError = null);

/// <summary>The model of <c>error.html</c>: a page that could not be shown (unknown environment or task, backend error).</summary>
public sealed record ErrorPageModel(string Title, string Message, string? Detail, string BackUrl, string BackLabel);
