using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Mirage.Model.Intents;

namespace Mirage.Reconciler.IntentStore;

/// <summary>
/// Intents and statuses as one JSON file each under a data folder. A write goes to a temporary file that is flushed
/// to disk and then renamed over the old one, and the folder is flushed after the rename, so a crash (or a power
/// loss) at any instant leaves the old or the new version, never a torn one, and a write that returned stays. Everything is also held in memory: reads never touch the disk. One process owns a folder at a time
/// (a lock file), so the revision check below is the only writer's check that matters.
/// </summary>
public sealed partial class FileIntentStore : IIntentStore, IDisposable
{
    private const string IntentSuffix = ".intent.json";
    private const string StatusSuffix = ".status.json";

    private readonly string _folder;
    private readonly ILogger<FileIntentStore> _logger;
    private readonly FileStream _lock;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<string, EnvironmentIntent> _intents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EnvironmentStatus> _statuses = new(StringComparer.Ordinal);

    public FileIntentStore(string folder, ILogger<FileIntentStore> logger)
    {
        _folder = Path.GetFullPath(folder);
        _logger = logger;
        Directory.CreateDirectory(_folder);
        try
        {
            _lock = new FileStream(Path.Combine(_folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"the data folder {_folder} is in use by another Mirage process", e);
        }
        Load();
    }

    public event Action<string>? Changed;

    public Task<EnvironmentIntent?> GetAsync(string subdomain, CancellationToken cancellationToken) =>
        Task.FromResult(_intents.GetValueOrDefault(subdomain));

    public Task<IReadOnlyList<EnvironmentIntent>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EnvironmentIntent>>([.. _intents.Values.OrderBy(i => i.Subdomain, StringComparer.Ordinal)]);

    public Task<EnvironmentStatus?> GetStatusAsync(string subdomain, CancellationToken cancellationToken) =>
        Task.FromResult(_statuses.GetValueOrDefault(subdomain));

    public async Task<EnvironmentIntent> SaveAsync(EnvironmentIntent intent, long expectedRevision, CancellationToken cancellationToken)
    {
        EnvironmentIntent stored;
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var actual = _intents.TryGetValue(intent.Subdomain, out var current) ? current.Revision : 0;
            if (actual != expectedRevision)
            {
                throw new IntentConflictException(intent.Subdomain, expectedRevision, actual);
            }
            // A new intent may start above 1 (adopting tasks that already carry a revision); a change adds one.
            var revision = expectedRevision == 0 ? Math.Max(1, intent.Revision) : expectedRevision + 1;
            stored = intent with { Revision = revision };
            await WriteAtomicallyAsync(PathFor(intent.Subdomain, IntentSuffix), stored, ModelJsonContext.Default.EnvironmentIntent, cancellationToken);
            _intents[stored.Subdomain] = stored;
        }
        finally
        {
            _writeGate.Release();
        }
        Changed?.Invoke(stored.Subdomain);
        return stored;
    }

    public async Task DeleteAsync(string subdomain, long expectedRevision, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var actual = _intents.TryGetValue(subdomain, out var current) ? current.Revision : 0;
            if (actual != expectedRevision)
            {
                throw new IntentConflictException(subdomain, expectedRevision, actual);
            }
            File.Delete(PathFor(subdomain, IntentSuffix));
            File.Delete(PathFor(subdomain, StatusSuffix));
            DirectorySync.Flush(_folder);
            _intents.TryRemove(subdomain, out _);
            _statuses.TryRemove(subdomain, out _);
        }
        finally
        {
            _writeGate.Release();
        }
        Changed?.Invoke(subdomain);
    }

    public async Task SaveStatusAsync(EnvironmentStatus status, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await WriteAtomicallyAsync(PathFor(status.Subdomain, StatusSuffix), status, ModelJsonContext.Default.EnvironmentStatus, cancellationToken);
            _statuses[status.Subdomain] = status;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        _writeGate.Dispose();
    }

    // File names are the base64url of the subdomain: patterns contain '*', '?' and brackets.
    private string PathFor(string subdomain, string suffix) =>
        Path.Combine(_folder, Convert.ToBase64String(Encoding.UTF8.GetBytes(subdomain)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + suffix);

    private async Task WriteAtomicallyAsync<T>(string path, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(stream, value, typeInfo, cancellationToken);
            // Data on disk before the rename makes it visible.
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        // The rename itself is durable only once the folder's entries are on disk.
        DirectorySync.Flush(_folder);
    }

    private void Load()
    {
        foreach (var file in Directory.EnumerateFiles(_folder))
        {
            if (file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                // A write that crashed before its rename: the previous version is still in place.
                File.Delete(file);
                continue;
            }
            try
            {
                if (file.EndsWith(IntentSuffix, StringComparison.Ordinal))
                {
                    var intent = JsonSerializer.Deserialize(File.ReadAllBytes(file), ModelJsonContext.Default.EnvironmentIntent);
                    if (intent is not null)
                    {
                        _intents[intent.Subdomain] = intent;
                    }
                }
                else if (file.EndsWith(StatusSuffix, StringComparison.Ordinal))
                {
                    var status = JsonSerializer.Deserialize(File.ReadAllBytes(file), ModelJsonContext.Default.EnvironmentStatus);
                    if (status is not null)
                    {
                        _statuses[status.Subdomain] = status;
                    }
                }
            }
            catch (JsonException e)
            {
                // Atomic writes make this a file edited by hand; keep it for the operator, do not guess.
                LogUnreadable(file, e.Message);
            }
        }
        LogLoaded(_intents.Count, _folder);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Loaded {Count} intents from {Folder}")]
    private partial void LogLoaded(int count, string folder);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Ignoring unreadable intent file {File}: {Error}")]
    private partial void LogUnreadable(string file, string error);
}
