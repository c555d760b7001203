using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Model.Leadership;

namespace Mirage.Reconciler.Leadership;

/// <summary>
/// Starts the leader-only services (the reconciler loop, GitOps, the purge schedule) when this replica gains
/// leadership and stops them when it loses it. They are started with <see cref="ILeadership.LeadingToken"/>, so a
/// lost lease cancels their loops at once; stopping then waits for them to wind down. With one replica (no lease)
/// they start with the host, as before.
/// </summary>
public sealed partial class LeaderOnlyServices(
    ILeadership leadership,
    IEnumerable<LeaderOnlyService> services,
    ILogger<LeaderOnlyServices> logger) : IHostedService, IDisposable
{
    private readonly IReadOnlyList<IHostedService> _services = [.. services.Select(s => s.Service)];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private bool _running;
    private CancellationToken _runningFor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        leadership.LeadershipChanged += OnLeadershipChanged;
        await ApplyAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        leadership.LeadershipChanged -= OnLeadershipChanged;
        await _stopping.CancelAsync();
        await ApplyAsync(cancellationToken);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _stopping.Dispose();
    }

    // Events may be handled out of order; each one only brings the services in line with the current state.
    private void OnLeadershipChanged(bool leading) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await ApplyAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                LogChangeFailed(leading, e);
            }
        });

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var token = leadership.LeadingToken;
            var shouldRun = !_stopping.IsCancellationRequested && leadership.IsLeader && !token.IsCancellationRequested;
            if (_running && (!shouldRun || token != _runningFor))
            {
                // Services of an earlier term are stopped before those of a new one start.
                foreach (var service in _services.Reverse())
                {
                    await service.StopAsync(cancellationToken);
                }
                _running = false;
                LogStopped(_services.Count);
            }
            if (shouldRun && !_running)
            {
                foreach (var service in _services)
                {
                    await service.StartAsync(token);
                }
                _running = true;
                _runningFor = token;
                LogStarted(_services.Count);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Leading: started {Count} leader-only services (reconciler, GitOps, purge schedule)")]
    private partial void LogStarted(int count);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Following: stopped {Count} leader-only services")]
    private partial void LogStopped(int count);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Error, Message = "Starting or stopping the leader-only services failed (leading: {Leading})")]
    private partial void LogChangeFailed(bool leading, Exception exception);
}
