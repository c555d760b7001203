using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Mirage.Edge.Dispatch;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Routing;

namespace Mirage.Edge.Waking;

/// <summary>
/// Serves requests for a sleeping route. The first request in this Edge writes one wake request to the intent store
/// (the shared durable store, so the reconciler acts on it wherever it runs: this replica or the leader); every
/// request for the host joins that flight and waits, up to <c>sleep.wake_timeout</c>, for the route table to show
/// the route awake, then is forwarded as usual (its body unread until then, websockets upgraded then). A browser GET
/// gets the waking page at once instead. A wake the reconciler gave up on answers 502 with its reason.
/// </summary>
public sealed partial class SleepingHostWaker : IDisposable
{
    private const int PageRefreshSeconds = 2;
    private const string RetryAfterSeconds = "5";

    private readonly RouteTablePublisher _routes;
    private readonly IIntentStore? _store;
    private readonly IWakingPage _page;
    private readonly TimeProvider _time;
    private readonly ILogger<SleepingHostWaker> _logger;
    private readonly TimeSpan _wakeTimeout;
    private readonly ConcurrentDictionary<string, WakeFlight> _flights = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="store">Null only in an Edge without intents (some tests); a wake then answers 503 saying so.</param>
    public SleepingHostWaker(RouteTablePublisher routes, IIntentStore? store, IWakingPage page, MirageConfig config, TimeProvider time,
        ILogger<SleepingHostWaker> logger)
    {
        _routes = routes;
        _store = store;
        _page = page;
        _time = time;
        _logger = logger;
        _wakeTimeout = config.Sleep.WakeTimeout;
        routes.Published += OnPublished;
    }

    /// <summary>Flights in progress in this Edge (one per sleeping route some request is waiting for).</summary>
    public int FlightCount => _flights.Count;

    /// <param name="forward">Forwards the request to the awake route, as for any awake route.</param>
    public async Task ServeAsync(HttpContext context, string host, Route route, Func<Route, Task> forward)
    {
        if (route.WakeFailure is { } failure)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status502BadGateway, $"{host} could not be woken: {failure}\n");
            return;
        }
        var flight = Join(route.Subdomain, host);
        if (WantsPage(context.Request))
        {
            await WritePageAsync(context, host, route.Subdomain);
            return;
        }

        WakeOutcome outcome;
        using (var timeout = new CancellationTokenSource(_wakeTimeout, _time))
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted))
        {
            try
            {
                outcome = await flight.Outcome.WaitAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is nobody to answer.
                return;
            }
            catch (OperationCanceledException)
            {
                LogWakeTimedOut(_logger, route.Subdomain, _wakeTimeout);
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                await PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                    $"{host} is waking up and did not answer within {FormatSeconds(_wakeTimeout)} (sleep.wake_timeout); try again shortly\n");
                return;
            }
        }
        if (outcome.Awake is { } awake)
        {
            await forward(awake);
            return;
        }
        if (outcome.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
        await PlainText.WriteAsync(context, outcome.StatusCode, $"{host} {outcome.Message}\n");
    }

    public void Dispose()
    {
        _routes.Published -= OnPublished;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    // A browser navigating (GET or HEAD, HTML accepted, not a websocket) may see a page at once rather than wait.
    private static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) &&
        !request.Headers.Upgrade.Any(v => string.Equals(v, "websocket", StringComparison.OrdinalIgnoreCase)) &&
        request.Headers.Accept.Any(v => v?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private WakeFlight Join(string routeKey, string host)
    {
        var candidate = new WakeFlight(routeKey);
        var flight = _flights.GetOrAdd(routeKey, candidate);
        if (!ReferenceEquals(flight, candidate))
        {
            return flight;
        }
        // The route may have woken between the lookup that sent this request here and the flight's start.
        Settle(flight, _routes.Current);
        if (!flight.Outcome.IsCompleted)
        {
            _ = RequestWakeAsync(flight, host);
        }
        return flight;
    }

    private async Task RequestWakeAsync(WakeFlight flight, string host)
    {
        if (_store is null)
        {
            End(flight, new WakeOutcome(null, StatusCodes.Status503ServiceUnavailable, "is asleep, and this Edge has no intent store to ask for a wake"));
            return;
        }
        try
        {
            var cause = new EnvironmentEvent(_time.GetUtcNow(), CauseReasons.Woken, $"Woken by a request to {host}");
            var intent = await IntentUpdates.WakeAsync(_store, flight.RouteKey, cause, _stopping.Token);
            LogWakeRequested(_logger, flight.RouteKey, host);
            if (intent is null || intent.Desired == DesiredState.Terminated)
            {
                End(flight, new WakeOutcome(null, StatusCodes.Status404NotFound, "is not found (the environment was terminated)"));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was recorded: end this flight so the next request tries again.
            LogWakeRequestFailed(_logger, flight.RouteKey, e);
            End(flight, new WakeOutcome(null, StatusCodes.Status503ServiceUnavailable, "is asleep and the wake could not be recorded; try again shortly"));
        }
        catch (OperationCanceledException)
        {
            End(flight, new WakeOutcome(null, StatusCodes.Status503ServiceUnavailable, "is asleep and Mirage is shutting down"));
        }
    }

    // Called by the publisher after every new snapshot: the only thing waiting requests wait on.
    private void OnPublished(RouteTable table)
    {
        foreach (var flight in _flights.Values)
        {
            Settle(flight, table);
        }
    }

    private void Settle(WakeFlight flight, RouteTable table)
    {
        switch (table.FindByKey(flight.RouteKey))
        {
            case null:
                End(flight, new WakeOutcome(null, StatusCodes.Status404NotFound, "is not found (the environment was terminated)"));
                break;
            case { Sleeping: false } awake:
                End(flight, WakeOutcome.Woken(awake));
                break;
            case { WakeFailure: { } failure }:
                LogWakeFailed(_logger, flight.RouteKey, failure);
                End(flight, new WakeOutcome(null, StatusCodes.Status502BadGateway, $"could not be woken: {failure}"));
                break;
        }
    }

    private void End(WakeFlight flight, WakeOutcome outcome)
    {
        _flights.TryRemove(new KeyValuePair<string, WakeFlight>(flight.RouteKey, flight));
        flight.Complete(outcome);
    }

    private Task WritePageAsync(HttpContext context, string host, string subdomain)
    {
        var html = _page.Render(new WakingPageModel(host, subdomain, PageRefreshSeconds, (int)Math.Ceiling(_wakeTimeout.TotalSeconds)));
        var bytes = Encoding.UTF8.GetBytes(html);
        var response = context.Response;
        // 503 + Retry-After: nothing caches or indexes the page as the app's; the browser shows it and reloads.
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.RetryAfter = PageRefreshSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static string FormatSeconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "{Subdomain}: asleep; wake requested by a request to {Host}")]
    private static partial void LogWakeRequested(ILogger logger, string subdomain, string host);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "{Subdomain}: the wake request could not be recorded")]
    private static partial void LogWakeRequestFailed(ILogger logger, string subdomain, Exception exception);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "{Subdomain}: not awake within sleep.wake_timeout {Timeout}; answered 503")]
    private static partial void LogWakeTimedOut(ILogger logger, string subdomain, TimeSpan timeout);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "{Subdomain}: the wake failed: {Reason}")]
    private static partial void LogWakeFailed(ILogger logger, string subdomain, string reason);
}
