using System.Buffers.Binary;

namespace Mirage.LocalEcs.Docker;

/// <summary>
/// Reads a container's log stream: Docker frames it (8-byte header: stream type, 3 zero bytes, big-endian length)
/// when the container has no TTY; anything else is passed through as raw output.
/// </summary>
internal static class DockerLogDemultiplexer
{
    /// <summary>Calls <paramref name="onData"/> with each chunk and whether it came from stderr, until the stream ends.</summary>
    public static async Task PumpAsync(Stream stream, Action<ReadOnlyMemory<byte>, bool> onData, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var buffer = new byte[64 * 1024];
        var first = await ReadAtLeastAsync(stream, header, cancellationToken);
        if (first == 0)
        {
            return;
        }
        var framed = first == 8 && header[0] <= 2 && header[1] == 0 && header[2] == 0 && header[3] == 0;
        if (!framed)
        {
            onData(header.AsMemory(0, first), false);
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                onData(buffer.AsMemory(0, read), false);
            }
            return;
        }
        while (true)
        {
            var stderr = header[0] == 2;
            var remaining = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    return;
                }
                onData(buffer.AsMemory(0, read), stderr);
                remaining -= read;
            }
            if (await ReadAtLeastAsync(stream, header, cancellationToken) < 8)
            {
                return;
            }
        }
    }

    private static async Task<int> ReadAtLeastAsync(Stream stream, byte[] target, CancellationToken cancellationToken) =>
        await stream.ReadAtLeastAsync(target, target.Length, throwOnEndOfStream: false, cancellationToken);
}
