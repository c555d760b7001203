using System.Text;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Logs;

/// <summary>
/// Cuts a container's output bytes into lines stamped with the time they arrived; very long lines are cut at
/// 16 KiB so one line cannot take the whole buffer.
/// </summary>
internal sealed class LogLineAssembler(string container, LogBuffer buffer, TimeProvider time)
{
    private const int MaxLineBytes = 16 * 1024;
    private readonly MemoryStream _partial = new();

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var take = newline < 0 ? data.Length : newline;
            var room = MaxLineBytes - (int)_partial.Length;
            if (take > room)
            {
                _partial.Write(data[..room]);
                Emit();
                data = data[room..];
                continue;
            }
            _partial.Write(data[..take]);
            if (newline < 0)
            {
                return;
            }
            Emit();
            data = data[(newline + 1)..];
        }
    }

    /// <summary>Emits a last line that has no newline (the output has ended).</summary>
    public void Flush()
    {
        if (_partial.Length > 0)
        {
            Emit();
        }
    }

    private void Emit()
    {
        var text = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length).TrimEnd('\r');
        _partial.SetLength(0);
        buffer.Add(new LogLine(time.GetUtcNow(), container, text));
    }
}
