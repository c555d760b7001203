using System.Net;

namespace Mirage.Edge.Tests.Support;

/// <summary>A request body of <paramref name="size"/> bytes of <see cref="TestBytes.Block"/>, optionally sent slowly.</summary>
public sealed class RepeatingContent(long size, int chunk = 1 << 20, TimeSpan pause = default) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (long sent = 0; sent < size;)
        {
            var n = (int)Math.Min(Math.Min(chunk, TestBytes.Block.Length), size - sent);
            await stream.WriteAsync(TestBytes.Block.AsMemory(0, n), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            sent += n;
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = size;
        return true;
    }
}
