namespace Mirage.Edge.Forwarding;

/// <summary>
/// Wraps the client's request body and arms the <see cref="HeaderTimeout"/> once the body has been read to its end,
/// which is when the upstream has the whole request.
/// </summary>
internal sealed class BodyEndSignalingStream(Stream inner, long? contentLength, HeaderTimeout timeout) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Track(inner.Read(buffer, offset, count), count);

    public override int Read(Span<byte> buffer) => Track(inner.Read(buffer), buffer.Length);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Track(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken), count);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Track(await inner.ReadAsync(buffer, cancellationToken), buffer.Length);

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // A zero-byte read into an empty buffer (YARP waits for data that way) is not the end of the body.
    private int Track(int read, int requested)
    {
        _read += read;
        if ((read == 0 && requested > 0) || _read >= contentLength)
        {
            timeout.Arm();
        }
        return read;
    }
}
