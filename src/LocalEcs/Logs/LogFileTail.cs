namespace Mirage.LocalEcs.Logs;

/// <summary>
/// Follows a file a process appends to (its stdout or stderr), cutting it into lines stamped with the time they
/// were read. Processes write to files rather than pipes so that they survive a Mirage crash without a broken pipe.
/// Once read, a file bigger than the cap is emptied; the process opened it with O_APPEND, so it keeps writing at the
/// new end (a line written between the last read and the truncation is lost).
/// </summary>
internal sealed class LogFileTail(string path, string container, LogBuffer buffer, TimeProvider time, long maxFileBytes)
{
    private readonly LogLineAssembler _lines = new(container, buffer, time);
    private long _position;

    /// <summary>Starts after what the file already holds (used when adopting a process: older lines have no timestamp).</summary>
    public void SkipExisting()
    {
        try
        {
            _position = new FileInfo(path).Length;
        }
        catch (IOException)
        {
            _position = 0;
        }
    }

    /// <summary>Reads whatever was appended since the last call; returns true when something was read.</summary>
    public bool Poll()
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        using (stream)
        {
            if (stream.Length < _position)
            {
                _position = 0;
            }
            if (stream.Length == _position)
            {
                return false;
            }
            stream.Position = _position;
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                _position += read;
                _lines.Append(chunk.AsSpan(0, read));
            }
            if (_position > maxFileBytes)
            {
                stream.SetLength(0);
                _position = 0;
            }
            return true;
        }
    }

    /// <summary>Emits a last line that has no newline (the process has exited).</summary>
    public void Flush() => _lines.Flush();
}
