using Microsoft.AspNetCore.Http.Features;
using Mirage.Api.Hosting;
using Mirage.Api.MirageEcsApi;
using Mirage.Edge.Auth;
using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// The request rules of the web UI and the API (requests for <c>host.webapi</c> only; the Edge answers the rest):
/// <list type="bullet">
/// <item>every body is limited to <see cref="RequestBody.MaxBytes"/> (413);</item>
/// <item><c>/api/*</c>: POSTs need JSON unless <c>-compat-v1</c> (400), then the token (401), then, for a request
/// that changes state and comes from a browser (<c>Origin</c> or <c>Sec-Fetch-Site</c>), the Origin rule (400);</item>
/// <item>the rest (the web UI): token, ALB OIDC or basic (401, with the basic challenge when configured), then the
/// Origin rule for requests that change state (400, even without <c>auth</c>), then a fresh
/// <c>mirage-ecs-auth</c> cookie on the response when <c>auth.cookie_secret</c> is set.</item>
/// </list>
/// </summary>
public sealed class MirageAuthMiddleware(
    RequestDelegate next,
    RequestAuthenticator authenticator,
    AuthCookie cookie,
    MirageConfig config,
    ApiBehaviour behaviour,
    ILogger<MirageAuthMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RequestBody.MaxBytes;
        }
        if (request.ContentLength > RequestBody.MaxBytes)
        {
            AuthLog.TooLarge(logger, request.Method, request.Path, RequestBody.MaxBytes);
            return TooLargeAsync(context);
        }
        return request.Path.StartsWithSegments("/api") ? ApiAsync(context) : WebAsync(context);
    }

    private Task ApiAsync(HttpContext context)
    {
        var request = context.Request;
        // Before auth, as mirage-ecs's compat middleware.
        if (HttpMethods.IsPost(request.Method) && !behaviour.CompatV1 && !ApiContentType.IsJson(request.ContentType))
        {
            return BadRequestAsync(context,
                $"POST /api/* needs Content-Type: {ApiContentType.Required} with a JSON body (forms are accepted only with -compat-v1)");
        }
        var decision = authenticator.AuthenticateApi(request);
        if (!decision.Allowed)
        {
            return UnauthorizedAsync(context, decision, challenge: false);
        }
        // A page elsewhere (another site, or a preview) must not drive the API through a visitor's browser, with or
        // without -compat-v1 and auth; clients that are not browsers send neither header and are not affected.
        if (ChangesState(request.Method) &&
            OriginCheck.BrowserProblem(request.Headers.Origin, request.Headers["Sec-Fetch-Site"], config.Host.WebApi) is { } problem)
        {
            return BadRequestAsync(context, problem);
        }
        AuthLog.Allowed(logger, request.Method, request.Path, decision.Method);
        return NextAsync(context);
    }

    private async Task WebAsync(HttpContext context)
    {
        var request = context.Request;
        var decision = await authenticator.AuthenticateWebAsync(request, context.RequestAborted);
        if (!decision.Allowed)
        {
            await UnauthorizedAsync(context, decision, authenticator.ChallengesBasic);
            return;
        }
        if (ChangesState(request.Method) &&
            (OriginCheck.FetchSiteProblem(request.Headers["Sec-Fetch-Site"]) ?? OriginCheck.Problem(request.Headers.Origin, config.Host.WebApi)) is { } problem)
        {
            await BadRequestAsync(context, problem);
            return;
        }
        AuthLog.Allowed(logger, request.Method, request.Path, decision.Method);
        if (!authenticator.IsOpen && cookie.IsConfigured)
        {
            var issued = cookie.Issue();
            context.Response.Cookies.Append(AuthCookie.Name, issued.Value, AuthCookie.CreateCookieOptions(issued, config.Host.ReverseProxySuffix));
        }
        await NextAsync(context);
    }

    // mirage-ecs checks POST only; Mirage checks every method that may change state.
    private static bool ChangesState(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private async Task NextAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // A chunked body that grows past the limit while an endpoint reads it.
            AuthLog.TooLarge(logger, context.Request.Method, context.Request.Path, RequestBody.MaxBytes);
            context.Response.Clear();
            await TooLargeAsync(context);
        }
    }

    private Task UnauthorizedAsync(HttpContext context, AuthDecision decision, bool challenge)
    {
        AuthLog.Refused(logger, context.Request.Method, context.Request.Path, string.Join("; ", decision.Refusals));
        if (challenge)
        {
            context.Response.Headers.WWWAuthenticate = BasicAuthMethod.Challenge;
        }
        return WriteAsync(context, StatusCodes.Status401Unauthorized, new ErrorMessage("Unauthorized"));
    }

    private Task BadRequestAsync(HttpContext context, string detail)
    {
        AuthLog.BadRequest(logger, context.Request.Method, context.Request.Path, detail);
        return WriteAsync(context, StatusCodes.Status400BadRequest, new ErrorMessage("Bad Request", detail));
    }

    private static Task TooLargeAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
            new ErrorMessage("Request Entity Too Large", RequestBody.TooLarge));

    private static Task WriteAsync(HttpContext context, int status, ErrorMessage message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(message, ApiJsonContext.Default.ErrorMessage, cancellationToken: context.RequestAborted);
    }
}
