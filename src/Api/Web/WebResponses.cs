using System.Text;
using Mirage.Api.Hosting;
using Mirage.Api.Web.Pages;
using Mirage.Api.Web.Templates;
using Mirage.Model.Leadership;

namespace Mirage.Api.Web;

/// <summary>How the UI answers: pages in the layout, fragments, and the three ways a form post can be answered.</summary>
public sealed class WebResponses(WebTemplates templates, ILeadership leadership)
{
    private const string Html = "text/html; charset=utf-8";

    // "1.0.0+<40-hex commit>" reads better in a footer as "1.0.0+<7-hex>".
    public static readonly string ShortVersion = MirageProgram.Version.IndexOf('+', StringComparison.Ordinal) is var plus and >= 0 && MirageProgram.Version.Length > plus + 8
        ? MirageProgram.Version[..(plus + 8)]
        : MirageProgram.Version;

    public IResult Page(string template, string title, string section, object model, int status = StatusCodes.Status200OK) =>
        Results.Content(templates.RenderPage(template, title, section, model, ShortVersion, leadership.View.Leader ?? ""), Html, Encoding.UTF8, status);

    public IResult Fragment(string template, object model) => Results.Content(templates.Render(template, model), Html, Encoding.UTF8);

    public IResult ErrorPage(int status, string title, string message, string? detail = null, string backUrl = "/", string backLabel = "Back to the list") =>
        Page("error", title, "error", new ErrorPageModel(title, message, detail, backUrl, backLabel), status);

    /// <summary>The page's script asks with <c>Accept: application/json</c>.</summary>
    public static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>htmx (mirage-ecs's own templates) marks its requests with <c>HX-Request: true</c>.</summary>
    public static bool IsHtmx(HttpRequest request) => request.Headers["HX-Request"] == "true";

    /// <summary>A post that worked: "ok" for scripts, else 303 to the list (so a reload does not post again).</summary>
    public static IResult Done(HttpContext context, string location = "/")
    {
        if (WantsJson(context.Request))
        {
            return MirageEcsApi.MirageEcsApiEndpoints.Result(StatusCodes.Status200OK, "ok");
        }
        if (IsHtmx(context.Request))
        {
            return Results.Text("ok");
        }
        context.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>A refused post, for scripts; null when the answer should be a page.</summary>
    public static IResult? RefusedForScript(HttpRequest request, int status, WebError error, string original)
    {
        if (WantsJson(request))
        {
            return Results.Json(new WebErrorResponse(original, error.Message), WebJsonContext.Default.WebErrorResponse, statusCode: status);
        }
        return IsHtmx(request) ? Results.Text(original, "text/plain; charset=utf-8", Encoding.UTF8, status) : null;
    }
}
