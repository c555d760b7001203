using System.Diagnostics;

namespace Mirage.TestKit;

/// <summary>Waits for a condition that a real process reaches in its own time, polling, and fails with a message that says what was awaited.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="read"/> until <paramref name="accept"/> holds, and returns that value.</summary>
    /// <param name="every">Pause between reads, 200 ms unless given; a test that measures latency polls more often.</param>
    /// <exception cref="TimeoutException"><paramref name="within"/> passed; the message is <paramref name="failure"/> of the last value read.</exception>
    public static async Task<T> ReadAsync<T>(
        Func<Task<T>> read, Func<T, bool> accept, TimeSpan within, Func<T, string> failure, CancellationToken cancellationToken, TimeSpan? every = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (accept(value))
            {
                return value;
            }
            if (waited.Elapsed > within)
            {
                throw new TimeoutException($"not within {within.TotalSeconds:0}s: {failure(value)}");
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> failure, CancellationToken cancellationToken, TimeSpan? every = null) =>
        ReadAsync(condition, held => held, within, _ => failure(), cancellationToken, every);
}
