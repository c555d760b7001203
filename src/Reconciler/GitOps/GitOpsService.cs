using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Model.Configuration;

namespace Mirage.Reconciler.GitOps;

/// <summary>
/// Keeps the intents in step with the desired-environments file: applies it at start, when the file system reports
/// a change to a local file, and every <see cref="GitOpsConfig.CheckInterval"/> (which also catches changes a
/// notification missed, and is the only trigger for an <c>s3://</c> file, read through the registered
/// <see cref="IConfigSource"/>s by ETag: an unchanged object is not downloaded again).
/// </summary>
public sealed partial class GitOpsService(
    MirageConfig config,
    GitOpsSynchronizer synchronizer,
    IEnumerable<IConfigSource> sources,
    TimeProvider time,
    ILogger<GitOpsService> logger) : BackgroundService
{
    // Editors write a file in several steps (truncate, write, rename); let them finish before reading.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    // The last version read from a remote location, kept for conditional reads.
    private ConfigText? _lastRemote;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.GitOps is not { File.Length: > 0 } gitOps)
        {
            return;
        }
        var location = gitOps.File;
        var remote = location.Contains("://", StringComparison.Ordinal);
        using var changed = new SemaphoreSlim(0);
        using var watcher = remote ? null : Watch(location, changed);
        LogWatching(location, gitOps.CheckInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(location, remote, stoppingToken);
                await WaitAsync(changed, gitOps.CheckInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug or an unexpected store failure: report it and try again at the next interval.
                LogCheckFailed(e);
                synchronizer.ReportError(location, time.GetUtcNow(), $"the check failed: {e.Message}");
                try
                {
                    await Task.Delay(gitOps.CheckInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task CheckAsync(string location, bool remote, CancellationToken cancellationToken)
    {
        ConfigText text;
        try
        {
            text = remote ? await ReadRemoteAsync(location, cancellationToken) : await ReadLocalAsync(location, cancellationToken);
        }
        catch (ConfigException e)
        {
            synchronizer.ReportError(location, time.GetUtcNow(), e.Message);
            return;
        }
        await synchronizer.SyncAsync(text, cancellationToken);
    }

    private static async Task<ConfigText> ReadLocalAsync(string location, CancellationToken cancellationToken)
    {
        try
        {
            return new ConfigText(await BoundedText.ReadFileAsync(location, cancellationToken), location);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException(location, null, null, "the desired-environments file is not found; create it, or fix gitops.file in the Mirage config");
        }
        catch (FileTooLargeException)
        {
            throw new ConfigException(location, null, null, FileTooLargeException.TooLarge);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ConfigException(location, null, null, $"the desired-environments file cannot be read ({e.Message})");
        }
    }

    private async Task<ConfigText> ReadRemoteAsync(string location, CancellationToken cancellationToken)
    {
        var source = sources.FirstOrDefault(s => s.CanRead(location) && s is not FileConfigSource)
            ?? throw new ConfigException(location, null, null, "no reader for this location in this mode; give a local path, or an s3:// URL when Mirage runs with AWS");
        // A conditional read by version (S3: If-None-Match with the ETag); an unchanged object is applied again from
        // memory, so task definitions registered since the last check are still picked up.
        var known = _lastRemote is { } last && last.DisplayName == location ? last : null;
        var text = await source.ReadIfChangedAsync(location, known?.Version, cancellationToken)
            ?? known ?? throw new InvalidOperationException($"{source.GetType().Name} answered 'unchanged' to a first read");
        // The owner recorded on intents is the location as configured, whatever name the reader gives.
        _lastRemote = text with { DisplayName = location };
        return _lastRemote;
    }

    private async Task WaitAsync(SemaphoreSlim changed, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var notified = changed.WaitAsync(wait.Token);
        var timer = Task.Delay(interval, time, wait.Token);
        await Task.WhenAny(notified, timer);
        await wait.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        if (notified.IsCompletedSuccessfully)
        {
            await Task.Delay(Settle, time, cancellationToken);
            while (changed.CurrentCount > 0 && changed.Wait(0, CancellationToken.None))
            {
            }
        }
    }

    private FileSystemWatcher? Watch(string location, SemaphoreSlim changed)
    {
        var full = Path.GetFullPath(location);
        var folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            LogNoWatch(location);
            return null;
        }
        var watcher = new FileSystemWatcher(folder, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        void Signal(object? sender, FileSystemEventArgs e) => changed.Release();
        watcher.Changed += Signal;
        watcher.Created += Signal;
        watcher.Deleted += Signal;
        watcher.Renamed += (sender, e) => changed.Release();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "gitops: applying {File}, checked on change and every {Interval}")]
    private partial void LogWatching(string file, TimeSpan interval);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "gitops: the folder of {File} does not exist, so changes are only seen by the periodic check")]
    private partial void LogNoWatch(string file);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Error, Message = "gitops: check failed")]
    private partial void LogCheckFailed(Exception exception);
}
