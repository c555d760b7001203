using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Mirage.Aws.S3;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Intents;

/// <summary>
/// Intents and statuses as JSON objects under <c>s3://bucket/prefix/</c>, shared by replicas. Every intent write is
/// conditional on the object Mirage read (<c>If-Match: etag</c>, or <c>If-None-Match: *</c> to create), so two
/// replicas cannot lose each other's updates: the loser gets <see cref="IntentConflictException"/>, as with a stale
/// revision. Reads are served from a cache that <see cref="RefreshAsync"/> (run periodically) brings up to date with
/// what other replicas wrote, raising <see cref="Changed"/> for every intent that changed. When S3 fails, the store
/// waits (<see cref="LoadBackoff"/>) before listing again: meanwhile reads are served from the cache once it was
/// loaded, and refused with <see cref="IntentStoreUnavailableException"/> before that.
/// </summary>
public sealed partial class S3IntentStore(S3ObjectStore store, S3Location location, TimeProvider time, ILogger<S3IntentStore> logger)
    : IIntentStore, IDisposable
{
    private const string IntentSuffix = ".intent.json";
    private const string StatusSuffix = ".status.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, Cached<EnvironmentIntent>> _intents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached<EnvironmentStatus>> _statuses = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    // Guarded by _gate: consecutive failed listings, when the next may be tried, and the last error (for the refusal).
    private int _failures;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private Exception? _lastFailure;

    /// <summary>The pauses between failed listings; tests shorten them.</summary>
    public LoadBackoff Backoff { get; init; } = LoadBackoff.Default;

    public event Action<string>? Changed;

    /// <summary>Raised after this replica itself saved or deleted an intent (not for what a refresh found).</summary>
    public event Action<string>? Written;

    public S3Location Location => location;

    public async Task<EnvironmentIntent?> GetAsync(string subdomain, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _intents.TryGetValue(subdomain, out var cached) ? cached.Value : null;
    }

    public async Task<IReadOnlyList<EnvironmentIntent>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        return [.. _intents.Values.Select(c => c.Value).OrderBy(i => i.Subdomain, StringComparer.Ordinal)];
    }

    public async Task<EnvironmentStatus?> GetStatusAsync(string subdomain, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _statuses.TryGetValue(subdomain, out var cached) ? cached.Value : null;
    }

    public async Task<EnvironmentIntent> SaveAsync(EnvironmentIntent intent, long expectedRevision, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var key = KeyFor(intent.Subdomain, IntentSuffix);
        EnvironmentIntent stored;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // The cache may be behind another replica: read the object itself before deciding.
            var current = await ReadAsync(key, ModelJsonContext.Default.EnvironmentIntent, cancellationToken);
            var actual = current?.Value.Revision ?? 0;
            if (actual != expectedRevision)
            {
                Remember(intent.Subdomain, current);
                throw new IntentConflictException(intent.Subdomain, expectedRevision, actual);
            }
            var revision = expectedRevision == 0 ? Math.Max(1, intent.Revision) : expectedRevision + 1;
            stored = intent with { Revision = revision };
            var condition = current is null ? S3WriteCondition.MustNotExist : S3WriteCondition.MustMatch(current.ETag);
            string etag;
            try
            {
                etag = await store.PutTextAsync(location.Bucket, key, JsonSerializer.Serialize(stored, ModelJsonContext.Default.EnvironmentIntent), condition, cancellationToken);
            }
            catch (S3PreconditionFailedException)
            {
                // Another replica wrote between our read and our write.
                var winner = await ReadAsync(key, ModelJsonContext.Default.EnvironmentIntent, cancellationToken);
                Remember(intent.Subdomain, winner);
                throw new IntentConflictException(intent.Subdomain, expectedRevision, winner?.Value.Revision ?? 0);
            }
            _intents[stored.Subdomain] = new Cached<EnvironmentIntent>(stored, etag);
        }
        finally
        {
            _gate.Release();
        }
        Changed?.Invoke(stored.Subdomain);
        Written?.Invoke(stored.Subdomain);
        return stored;
    }

    public async Task DeleteAsync(string subdomain, long expectedRevision, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var key = KeyFor(subdomain, IntentSuffix);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadAsync(key, ModelJsonContext.Default.EnvironmentIntent, cancellationToken);
            var actual = current?.Value.Revision ?? 0;
            if (actual != expectedRevision)
            {
                Remember(subdomain, current);
                throw new IntentConflictException(subdomain, expectedRevision, actual);
            }
            if (current is not null)
            {
                try
                {
                    // Only the version just checked: a replica that rewrote it since wins, and the delete is a conflict.
                    await store.DeleteAsync(location.Bucket, key, current.ETag, cancellationToken);
                }
                catch (S3PreconditionFailedException)
                {
                    var winner = await ReadAsync(key, ModelJsonContext.Default.EnvironmentIntent, cancellationToken);
                    Remember(subdomain, winner);
                    throw new IntentConflictException(subdomain, expectedRevision, winner?.Value.Revision ?? 0);
                }
            }
            // Statuses are last-writer-wins (see SaveStatusAsync); one without its intent is never read.
            await store.DeleteAsync(location.Bucket, KeyFor(subdomain, StatusSuffix), cancellationToken);
            _intents.TryRemove(subdomain, out _);
            _statuses.TryRemove(subdomain, out _);
        }
        finally
        {
            _gate.Release();
        }
        Changed?.Invoke(subdomain);
        Written?.Invoke(subdomain);
    }

    /// <summary>
    /// Statuses are the leader's output, rewritten on every change. The write is conditional on the version last seen
    /// (<c>If-Match</c>, or <c>If-None-Match: *</c> when none was), and a status written under a newer lease term is
    /// never overwritten: a deposed leader's late write is refused with <see cref="LeadershipLostException"/> (S3
    /// enforces the condition; moto 5.1.1 ignores If-Match on PUT, so there only the cached term is compared).
    /// </summary>
    public async Task SaveStatusAsync(EnvironmentStatus status, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var key = KeyFor(status.Subdomain, StatusSuffix);
        var text = JsonSerializer.Serialize(status, ModelJsonContext.Default.EnvironmentStatus);
        var known = _statuses.GetValueOrDefault(status.Subdomain);
        // Two attempts: the version this replica knows, then the one S3 has if another writer came in between.
        for (var attempt = 0; ; attempt++)
        {
            if (known is not null && known.Value.Term > status.Term)
            {
                throw new LeadershipLostException($"save the status of {status.Subdomain}", status.Term,
                    $"the stored status was written under the newer term {known.Value.Term}");
            }
            try
            {
                var condition = known is null ? S3WriteCondition.MustNotExist : S3WriteCondition.MustMatch(known.ETag);
                var etag = await store.PutTextAsync(location.Bucket, key, text, condition, cancellationToken);
                _statuses[status.Subdomain] = new Cached<EnvironmentStatus>(status, etag);
                return;
            }
            catch (S3PreconditionFailedException) when (attempt == 0)
            {
                known = await ReadAsync(key, ModelJsonContext.Default.EnvironmentStatus, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Lists the prefix and reloads every object whose ETag changed; raises <see cref="Changed"/> for intents that
    /// another writer added, changed or removed. Returns the subdomains that changed. While waiting after a failure it
    /// does not call S3: it returns nothing once the cache was loaded, and throws
    /// <see cref="IntentStoreUnavailableException"/> before.
    /// </summary>
    public Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(onlyIfNotLoaded: false, cancellationToken);

    public Task CatchUpAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    private async Task<IReadOnlyList<string>> RefreshAsync(bool onlyIfNotLoaded, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (onlyIfNotLoaded && _loaded)
            {
                // Another caller loaded it while this one waited for the gate.
                return [];
            }
            var now = time.GetUtcNow();
            if (now < _nextAttempt)
            {
                return _loaded
                    ? []
                    : throw new IntentStoreUnavailableException(
                        $"intents at {location} are not loaded: S3 failed {_failures} time(s) in a row ({_lastFailure?.Message}); next attempt in {(_nextAttempt - now).TotalSeconds:0.#} s",
                        _nextAttempt - now,
                        _lastFailure);
            }
            IReadOnlyList<S3ObjectSummary> objects;
            try
            {
                objects = await store.ListAsync(location.Bucket, location.Prefix, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _failures++;
                _lastFailure = e;
                var pause = Backoff.DelayAfter(_failures, Random.Shared);
                _nextAttempt = time.GetUtcNow() + pause;
                LogListFailed(location.ToString(), _failures, pause, e.Message);
                throw;
            }
            _failures = 0;
            _lastFailure = null;
            _nextAttempt = DateTimeOffset.MinValue;
            var seenIntents = new HashSet<string>(StringComparer.Ordinal);
            var seenStatuses = new HashSet<string>(StringComparer.Ordinal);
            foreach (var summary in objects)
            {
                if (SubdomainOf(summary.Key, IntentSuffix) is { } subdomain)
                {
                    seenIntents.Add(subdomain);
                    if (_intents.TryGetValue(subdomain, out var cached) && cached.ETag == summary.ETag)
                    {
                        continue;
                    }
                    var read = await ReadAsync(summary.Key, ModelJsonContext.Default.EnvironmentIntent, cancellationToken);
                    if (read is not null && (cached is null || cached.Value != read.Value))
                    {
                        changed.Add(read.Value.Subdomain);
                    }
                    Remember(subdomain, read);
                }
                else if (SubdomainOf(summary.Key, StatusSuffix) is { } statusOf)
                {
                    seenStatuses.Add(statusOf);
                    if (!_statuses.TryGetValue(statusOf, out var cached) || cached.ETag != summary.ETag)
                    {
                        if (await ReadAsync(summary.Key, ModelJsonContext.Default.EnvironmentStatus, cancellationToken) is { } status)
                        {
                            _statuses[statusOf] = status;
                        }
                    }
                }
            }
            foreach (var gone in _intents.Keys.Where(k => !seenIntents.Contains(k)).ToList())
            {
                _intents.TryRemove(gone, out _);
                changed.Add(gone);
            }
            foreach (var gone in _statuses.Keys.Where(k => !seenStatuses.Contains(k)).ToList())
            {
                _statuses.TryRemove(gone, out _);
            }
            if (!_loaded)
            {
                LogLoaded(_intents.Count, location.ToString());
                _loaded = true;
                // The first load is not a change: the reconciler lists everything when it starts.
                changed.Clear();
            }
        }
        finally
        {
            _gate.Release();
        }
        foreach (var subdomain in changed)
        {
            Changed?.Invoke(subdomain);
        }
        return changed;
    }

    public void Dispose() => _gate.Dispose();

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await RefreshAsync(onlyIfNotLoaded: true, cancellationToken);
        }
    }

    private void Remember(string subdomain, Cached<EnvironmentIntent>? read)
    {
        if (read is null)
        {
            _intents.TryRemove(subdomain, out _);
        }
        else
        {
            _intents[subdomain] = read;
        }
    }

    private async Task<Cached<T>?> ReadAsync<T>(string key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var text = await store.GetTextAsync(location.Bucket, key, cancellationToken);
        if (text is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(text.Text, type) is { } value ? new Cached<T>(value, text.ETag) : null;
        }
        catch (JsonException e)
        {
            // Written by hand or by something else: keep it for the operator, do not guess.
            LogUnreadable(key, e.Message);
            return null;
        }
    }

    // Object names are the base64url of the subdomain: patterns contain '*', '?' and brackets.
    private string KeyFor(string subdomain, string suffix) =>
        location.Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(subdomain)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + suffix;

    private string? SubdomainOf(string key, string suffix)
    {
        if (!key.StartsWith(location.Prefix, StringComparison.Ordinal) || !key.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var name = key[location.Prefix.Length..^suffix.Length];
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }
        var base64 = name.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Cached<T>(T Value, string ETag);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Loaded {Count} intents from {Location}")]
    private partial void LogLoaded(int count, string location);

    [LoggerMessage(EventId = 2043, Level = LogLevel.Warning, Message = "Listing intents at {Location} failed ({Failures} in a row); next attempt in {Pause}: {Error}")]
    private partial void LogListFailed(string location, int failures, TimeSpan pause, string error);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Error, Message = "Ignoring unreadable intent object {Key}: {Error}")]
    private partial void LogUnreadable(string key, string error);
}
