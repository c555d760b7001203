using System.Threading.Channels;

namespace Mirage.Aws.Resilience;

/// <summary>Waits for the first of: a pause, or something to read (a change signal cuts a poll interval short).</summary>
public static class ChannelWaits
{
    public static async Task DelayOrReadableAsync<T>(this ChannelReader<T> reader, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delayed = Task.Delay(delay, time, wake.Token);
        var woken = reader.WaitToReadAsync(wake.Token).AsTask();
        await Task.WhenAny(delayed, woken);
        await wake.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
