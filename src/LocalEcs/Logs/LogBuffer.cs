using System.Text;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Logs;

/// <summary>The last lines of one container's output, bounded by a line count and a byte count (the oldest go first).</summary>
internal sealed class LogBuffer(int maxLines, int maxBytes)
{
    private readonly Lock _gate = new();
    private readonly Queue<LogLine> _lines = new();
    private long _bytes;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    public void Add(LogLine line)
    {
        var size = Encoding.UTF8.GetByteCount(line.Message);
        lock (_gate)
        {
            _lines.Enqueue(line);
            _bytes += size;
            while (_lines.Count > maxLines || (_bytes > maxBytes && _lines.Count > 1))
            {
                _bytes -= Encoding.UTF8.GetByteCount(_lines.Dequeue().Message);
            }
        }
    }

    /// <summary>Lines stamped at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<LogLine> Read(DateTimeOffset? since)
    {
        lock (_gate)
        {
            return since is { } from ? [.. _lines.Where(l => l.Timestamp >= from)] : [.. _lines];
        }
    }
}
