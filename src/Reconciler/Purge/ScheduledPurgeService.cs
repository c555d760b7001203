using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Model.Configuration;
using Mirage.Model.Parameters;
using Mirage.Model.Scheduling;

namespace Mirage.Reconciler.Purge;

/// <summary>
/// mirage-ecs's later <c>purge.schedule</c> (#79): runs the configured purge at each occurrence of the cron
/// expression, in the local time zone, with no external caller. <c>purge.dry_run</c> only logs what would go.
/// </summary>
public sealed partial class ScheduledPurgeService(
    MirageConfig config,
    PurgeService purge,
    TimeProvider time,
    ILogger<ScheduledPurgeService> logger) : BackgroundService
{
    private ScheduledPurgeRun? _lastRun;

    /// <summary>The latest scheduled run (what it terminated, or for a dry run what it would have).</summary>
    public ScheduledPurgeRun? LastRun => Volatile.Read(ref _lastRun);

    /// <summary>The purge the config asks for, as <c>/api/purge</c> would take it.</summary>
    public static PurgeRequest RequestFrom(PurgeConfig purge)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in purge.Request.ExcludeTags)
        {
            var colon = tag.IndexOf(':', StringComparison.Ordinal);
            tags[tag[..colon]] = tag[(colon + 1)..];
        }
        var regexp = purge.Request.ExcludeRegexp.Length == 0 ? null : Re2Rule.Compile(purge.Request.ExcludeRegexp);
        return new PurgeRequest(purge.Request.Duration, purge.Request.Excludes, tags, regexp, purge.DryRun);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.Purge is not { Schedule.Length: > 0 } settings)
        {
            return;
        }
        var cron = EventBridgeCron.Parse(settings.Schedule);
        var request = RequestFrom(settings);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (cron.Next(now, time.LocalTimeZone) is not { } next)
            {
                LogNoMoreRuns(cron.Expression);
                return;
            }
            LogNextRun(next, cron.Expression, request.DryRun);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                var selected = await purge.RunAsync(request, stoppingToken);
                Volatile.Write(ref _lastRun, new ScheduledPurgeRun(next, request.DryRun, selected));
                LogRan(request.DryRun ? "would terminate" : "terminated", selected.Count, string.Join(", ", selected));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "scheduled purge: next run at {Next:o} ({Schedule}, dry run: {DryRun})")]
    private partial void LogNextRun(DateTimeOffset next, string schedule, bool dryRun);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Information, Message = "scheduled purge {Verb} {Count} environments: {Subdomains}")]
    private partial void LogRan(string verb, int count, string subdomains);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "scheduled purge: {Schedule} has no more occurrences")]
    private partial void LogNoMoreRuns(string schedule);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Error, Message = "scheduled purge failed")]
    private partial void LogFailed(Exception exception);
}
