using System.Collections.Concurrent;
using Mirage.Model.Metrics;

namespace Mirage.Edge.Metrics;

/// <summary>
/// Requests per route key (the pattern for wildcard routes) in one-minute buckets. <see cref="Increment"/> is
/// lock-free: an Interlocked add on the key's current bucket, and a compare-and-swap once a minute to start a new one.
/// Buckets are kept for <see cref="Retention"/> so <see cref="GetRecent"/> can answer the local access count.
/// <see cref="Snapshot"/> says what has not been reported yet; only <see cref="MarkReported"/>, called once the
/// metrics sink has taken it, marks it so: a failed publish leaves the counts to be sent with the next one.
/// </summary>
public sealed class AccessCounters(TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const long SecondsPerMinute = 60;
    private const long MinutesPerHour = 60;
    private static readonly long RetentionMinutes = (long)Retention.TotalMinutes;

    private readonly ConcurrentDictionary<string, KeyCounter> _counters = new(StringComparer.Ordinal);
    private readonly Lock _snapshotGate = new();

    public void Increment(string routeKey)
    {
        var minute = CurrentMinute();
        var counter = _counters.GetOrAdd(routeKey, static _ => new KeyCounter());
        counter.Increment(minute);
    }

    /// <summary>Requests counted for the key in the last <paramref name="window"/>, at whole-minute granularity.</summary>
    public long GetRecent(string routeKey, TimeSpan window)
    {
        if (!_counters.TryGetValue(routeKey, out var counter) || window <= TimeSpan.Zero)
        {
            return 0;
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var since = (now - (long)Math.Ceiling(window.TotalSeconds)) / SecondsPerMinute;
        return counter.SumSince(since);
    }

    /// <summary>
    /// Requests counted for the key in each of the last <paramref name="hours"/> clock hours (UTC), oldest first; the
    /// last is the hour under way. Reads the minute buckets kept for <see cref="Retention"/>; never called per request.
    /// </summary>
    public long[] GetHourly(string routeKey, int hours)
    {
        var perHour = new long[Math.Max(hours, 0)];
        if (_counters.TryGetValue(routeKey, out var counter))
        {
            counter.AddByHour(perHour, CurrentMinute() / MinutesPerHour);
        }
        return perHour;
    }

    /// <summary>
    /// Counts not yet marked reported, per key and minute (minutes with nothing new are left out), oldest first per
    /// key. Nothing is marked: pass the snapshot to <see cref="MarkReported"/> once it has been published. Also
    /// forgets buckets older than <see cref="Retention"/>. Meant for one caller at a time.
    /// </summary>
    public Pending Snapshot()
    {
        var samples = new List<AccessCountSample>();
        var marks = new List<(MinuteBucket Bucket, long Count)>();
        var oldestKept = CurrentMinute() - RetentionMinutes;
        lock (_snapshotGate)
        {
            foreach (var (key, counter) in _counters)
            {
                counter.CollectUnreported(key, samples, marks);
                counter.Prune(oldestKept);
                if (counter.NewestMinute < oldestKept)
                {
                    // An increment racing this removal lands in the dropped counter and is lost: the key had been
                    // idle for a whole retention period, so one request is an acceptable loss for an unbounded map.
                    _counters.TryRemove(new KeyValuePair<string, KeyCounter>(key, counter));
                }
            }
        }
        return new Pending(samples, marks);
    }

    /// <summary>Marks what <paramref name="published"/> holds as reported; counts added since stay unreported.</summary>
    public void MarkReported(Pending published)
    {
        lock (_snapshotGate)
        {
            foreach (var (bucket, count) in published.Marks)
            {
                bucket.Reported = Math.Max(bucket.Reported, count);
            }
        }
    }

    /// <summary><see cref="Snapshot"/> and <see cref="MarkReported"/> at once, for a sink that cannot fail.</summary>
    public IReadOnlyList<AccessCountSample> SnapshotAndReset()
    {
        var pending = Snapshot();
        MarkReported(pending);
        return pending.Samples;
    }

    /// <summary>What a <see cref="Snapshot"/> found unreported, and how far each bucket gets marked once published.</summary>
    public sealed class Pending
    {
        internal Pending(IReadOnlyList<AccessCountSample> samples, IReadOnlyList<(MinuteBucket Bucket, long Count)> marks)
        {
            Samples = samples;
            Marks = marks;
        }

        public IReadOnlyList<AccessCountSample> Samples { get; }

        internal IReadOnlyList<(MinuteBucket Bucket, long Count)> Marks { get; }
    }

    private long CurrentMinute() => time.GetUtcNow().ToUnixTimeSeconds() / SecondsPerMinute;

    internal sealed class MinuteBucket(long minute)
    {
        public readonly long Minute = minute;
        public long Count;
        // Written only under the snapshot gate.
        public long Reported;
    }

    private sealed class KeyCounter
    {
        private readonly ConcurrentQueue<MinuteBucket> _history = new();
        private MinuteBucket _current = new(long.MinValue);

        public long NewestMinute => Volatile.Read(ref _current).Minute;

        public void Increment(long minute)
        {
            while (true)
            {
                var bucket = Volatile.Read(ref _current);
                // A clock step backwards counts into the newest bucket rather than reopening an old one.
                if (bucket.Minute >= minute)
                {
                    Interlocked.Increment(ref bucket.Count);
                    return;
                }
                var fresh = new MinuteBucket(minute);
                if (Interlocked.CompareExchange(ref _current, fresh, bucket) == bucket && bucket.Minute != long.MinValue)
                {
                    // Late increments to the retired bucket still land in this same object, so nothing is lost.
                    _history.Enqueue(bucket);
                }
            }
        }

        public long SumSince(long minute)
        {
            long sum = 0;
            foreach (var bucket in Buckets())
            {
                if (bucket.Minute >= minute)
                {
                    sum += Volatile.Read(ref bucket.Count);
                }
            }
            return sum;
        }

        public void AddByHour(long[] perHour, long currentHour)
        {
            foreach (var bucket in Buckets())
            {
                var index = perHour.Length - 1 - (currentHour - bucket.Minute / MinutesPerHour);
                if (index >= 0 && index < perHour.Length)
                {
                    perHour[index] += Volatile.Read(ref bucket.Count);
                }
            }
        }

        public void CollectUnreported(string key, List<AccessCountSample> samples, List<(MinuteBucket Bucket, long Count)> marks)
        {
            foreach (var bucket in Buckets())
            {
                var count = Volatile.Read(ref bucket.Count);
                if (count > bucket.Reported)
                {
                    samples.Add(new AccessCountSample(key, DateTimeOffset.FromUnixTimeSeconds(bucket.Minute * SecondsPerMinute), count - bucket.Reported));
                    marks.Add((bucket, count));
                }
            }
        }

        public void Prune(long oldestKept)
        {
            while (_history.TryPeek(out var bucket) && bucket.Minute < oldestKept)
            {
                _history.TryDequeue(out _);
            }
        }

        private IEnumerable<MinuteBucket> Buckets()
        {
            foreach (var bucket in _history)
            {
                yield return bucket;
            }
            var current = Volatile.Read(ref _current);
            if (current.Minute != long.MinValue)
            {
                yield return current;
            }
        }
    }
}
