using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mirage.Aws.Intents;

/// <summary>Brings the S3 intent store's cache up to date with other replicas' writes every <see cref="Interval"/>.</summary>
public sealed partial class S3IntentStoreRefresher(S3IntentStore store, TimeProvider time, ILogger<S3IntentStoreRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await store.RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(store.Location.ToString(), e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 2042, Level = LogLevel.Warning, Message = "Refreshing intents from {Location} failed; serving the cached ones")]
    private partial void LogRefreshFailed(string location, Exception exception);
}
