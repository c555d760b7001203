using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Mirage.Api.Auth;

/// <summary>
/// ALB public keys by URL: fetched once (concurrent requests for one URL share the fetch), kept for
/// <see cref="AmznOidcOptions.KeyCacheTtl"/>, at most <see cref="AmznOidcOptions.KeyCacheCapacity"/> of them.
/// A fetch has a timeout and a few retries. Failures live in a separate, short-lived negative cache so a flood of
/// made-up kids can neither evict good keys nor make every request fetch again; a key whose refresh fails stays in use
/// (an ALB never changes the key of a kid). At most <see cref="AmznOidcOptions.MaxConcurrentFetches"/> fetches run
/// at once; others wait for a slot instead of failing. mirage-ecs caches forever without a bound.
/// </summary>
public sealed partial class AlbPublicKeyCache : IDisposable
{
    // A PEM P-256 public key is about 180 bytes.
    private const int MaxKeyBytes = 16 * 1024;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(3);

    private readonly AmznOidcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AlbPublicKeyCache> _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _fetchSlots;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CachedKey> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<CachedKey>> _inFlight = new(StringComparer.Ordinal);

    public AlbPublicKeyCache(AmznOidcOptions options, TimeProvider time, ILogger<AlbPublicKeyCache> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _fetchSlots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentFetches));
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The key at <paramref name="url"/>, or why it cannot be had.</summary>
    public async Task<(ECParameters? Key, string? Error)> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var key = url.AbsoluteUri;
        Task<CachedKey> fetch;
        ECParameters? stale = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_keys.TryGetValue(key, out var cached))
            {
                if (cached.ExpiresAt > now)
                {
                    return (cached.Key, null);
                }
                stale = cached.Key;
            }
            if (_failures.TryGetValue(key, out var failure))
            {
                if (failure.ExpiresAt > now)
                {
                    return stale is not null ? (stale, null) : (null, failure.Error);
                }
                _failures.Remove(key);
            }
            if (!_inFlight.TryGetValue(key, out fetch!))
            {
                fetch = FetchAndStoreAsync(url);
                _inFlight[key] = fetch;
            }
        }
        // The fetch is shared: a caller giving up does not cancel it for the others.
        var result = await fetch.WaitAsync(cancellationToken);
        return result.Key is not null ? (result.Key, null) : stale is not null ? (stale, null) : (null, result.Error);
    }

    private async Task<CachedKey> FetchAndStoreAsync(Uri url)
    {
        // Run the fetch after the caller has released the lock.
        await Task.Yield();
        CachedKey result;
        try
        {
            // Waiting for a slot (not refusing) keeps a burst of new kids from locking users out; each caller's own
            // request cancellation bounds how long it waits.
            await _fetchSlots.WaitAsync(_stopping.Token);
            try
            {
                result = await FetchAsync(url);
            }
            finally
            {
                _fetchSlots.Release();
            }
        }
        catch (OperationCanceledException)
        {
            result = new CachedKey(null, "shutting down", DateTimeOffset.MinValue);
        }
        lock (_gate)
        {
            _inFlight.Remove(url.AbsoluteUri);
            if (result.ExpiresAt > _time.GetUtcNow())
            {
                Store(result.Key is null ? _failures : _keys, result.Key is null ? _options.FailedFetchCapacity : _options.KeyCacheCapacity,
                    url.AbsoluteUri, result);
            }
        }
        return result;
    }

    private async Task<CachedKey> FetchAsync(Uri url)
    {
        var attempts = Math.Max(1, _options.FetchAttempts);
        var delay = _options.RetryDelay;
        string error = "no attempt made";
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                try
                {
                    await Task.Delay(delay, _time, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            var (key, failure, retry) = await TryFetchOnceAsync(url);
            if (key is not null)
            {
                LogKeyFetched(_logger, url, attempt);
                return new CachedKey(key, null, _time.GetUtcNow() + _options.KeyCacheTtl);
            }
            error = failure!;
            LogKeyFetchFailed(_logger, url, attempt, attempts, error);
            if (!retry)
            {
                break;
            }
        }
        return new CachedKey(null, $"public key {url} could not be fetched: {error}", _time.GetUtcNow() + _options.FailedFetchTtl);
    }

    private async Task<(ECParameters? Key, string? Error, bool Retry)> TryFetchOnceAsync(Uri url)
    {
        using var timeout = new CancellationTokenSource(_options.FetchTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                return (null, $"HTTP {status}", status >= 500 || status is 408 or 429);
            }
            if (response.Content.Headers.ContentLength > MaxKeyBytes)
            {
                return (null, "response is too large for a public key", false);
            }
            var pem = await ReadLimitedAsync(response.Content, linked.Token);
            return pem is null ? (null, "response is too large for a public key", false) : ParsePem(pem);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            return (null, $"no answer within {_options.FetchTimeout.TotalSeconds:0.###} s", true);
        }
        catch (OperationCanceledException)
        {
            return (null, "shutting down", false);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message, true);
        }
    }

    private static async Task<string?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxKeyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return total > MaxKeyBytes ? null : Encoding.ASCII.GetString(buffer, 0, total);
    }

    private static (ECParameters? Key, string? Error, bool Retry) ParsePem(string pem)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            if (ecdsa.KeySize != 256 || parameters.Curve.Oid.Value != "1.2.840.10045.3.1.7")
            {
                return (null, "the key is not a P-256 key (ES256 needs one)", false);
            }
            return (parameters, null, false);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return (null, "the response is not a PEM EC public key", false);
        }
    }

    // Called under _gate. Good keys and failures are bounded separately: one never pushes out the other.
    private void Store(Dictionary<string, CachedKey> entries, int capacity, string url, CachedKey entry)
    {
        entries.Remove(url);
        if (entries.Count >= capacity)
        {
            var now = _time.GetUtcNow();
            foreach (var expired in entries.Where(kv => kv.Value.ExpiresAt <= now).Select(kv => kv.Key).ToList())
            {
                entries.Remove(expired);
            }
            while (entries.Count >= Math.Max(1, capacity))
            {
                entries.Remove(entries.MinBy(kv => kv.Value.StoredAt).Key);
            }
        }
        entries[url] = entry with { StoredAt = _time.GetTimestamp() };
        if (entry.Key is not null)
        {
            _failures.Remove(url);
        }
    }

    public void Dispose()
    {
        // The token source and semaphore stay undisposed: a fetch still finishing may touch them.
        _stopping.Cancel();
        _http.Dispose();
    }

    private sealed record CachedKey(ECParameters? Key, string? Error, DateTimeOffset ExpiresAt)
    {
        public long StoredAt { get; init; }
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "auth: ALB public key {Url} fetched (attempt {Attempt})")]
    private static partial void LogKeyFetched(ILogger logger, Uri url, int attempt);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "auth: ALB public key {Url} fetch attempt {Attempt} of {Attempts} failed: {Error}")]
    private static partial void LogKeyFetchFailed(ILogger logger, Uri url, int attempt, int attempts, string error);
}
