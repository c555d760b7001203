using Docker.DotNet;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>A container of a Docker-API engine: its exit comes from the engine's wait, its output from the engine's log stream.</summary>
internal sealed class DockerContainerHandle : IContainerHandle
{
    private readonly DockerEngineClient _engine;
    private readonly string _id;
    private readonly string? _ipAddress;
    private readonly string? _imageId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _logPump;
    private readonly LogLineAssembler _stdout;
    private readonly LogLineAssembler _stderr;
    private readonly TimeProvider _time;

    public DockerContainerHandle(DockerEngineClient engine, string id, string? ipAddress, string? imageId, string container, LogBuffer logs, TimeProvider time, long logsSinceUnixSeconds)
    {
        _engine = engine;
        _id = id;
        _ipAddress = ipAddress;
        _imageId = imageId;
        _time = time;
        _stdout = new LogLineAssembler(container, logs, time);
        _stderr = new LogLineAssembler(container, logs, time);
        _logPump = PumpLogsAsync(logsSinceUnixSeconds, _stop.Token);
        Exited = WaitAsync(_stop.Token);
    }

    public Task<int?> Exited { get; }

    public string Description => "container " + _id[..Math.Min(12, _id.Length)];

    public LocalContainerSnapshot Annotate(LocalContainerSnapshot container) =>
        container with { ContainerId = _id, IpAddress = _ipAddress ?? container.IpAddress, ImageId = _imageId ?? container.ImageId };

    public void PollLogs()
    {
        // The engine streams the output; nothing to poll.
    }

    public async Task FlushLogsAsync()
    {
        // The log stream ends when the container exits; give it a moment to deliver the last lines.
        await Task.WhenAny(_logPump, Task.Delay(TimeSpan.FromSeconds(5), _time)).ConfigureAwait(false);
        lock (_stdout)
        {
            _stdout.Flush();
            _stderr.Flush();
        }
    }

    public async Task SignalAsync(int signal)
    {
        try
        {
            await _engine.KillContainerAsync(_id, signal == Posix.SigKill ? "SIGKILL" : "SIGTERM", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException)
        {
            // Already gone, or the engine is away; the wait reports the outcome.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task<int?> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _engine.WaitContainerAsync(_id, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException or IOException)
        {
            // The container vanished (removed from outside) or the engine went away: it is not running any more.
            return null;
        }
    }

    private async Task PumpLogsAsync(long since, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await _engine.FollowLogsAsync(_id, since, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                if (read.EOF)
                {
                    return;
                }
                lock (_stdout)
                {
                    (read.Target == MultiplexedStream.TargetStream.StandardError ? _stderr : _stdout).Append(buffer.AsSpan(0, read.Count));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or DockerEngineException or HttpRequestException or IOException)
        {
            // Detached, or the container is gone: the output ends here.
        }
    }
}
