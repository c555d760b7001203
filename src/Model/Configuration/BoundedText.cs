using System.Text;

namespace Mirage.Model.Configuration;

/// <summary>
/// Reads text of at most <see cref="FileLimits.MaxBytes"/> bytes, and stops as soon as there is more: a 10 GB file or
/// S3 object costs one buffer, not the process's memory. UTF-8, with a byte-order mark honoured as
/// <see cref="File.ReadAllText(string)"/> does.
/// </summary>
public static class BoundedText
{
    /// <exception cref="FileTooLargeException">The file is larger than the limit.</exception>
    public static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        return await ReadAsync(stream, path, cancellationToken);
    }

    /// <inheritdoc cref="ReadFileAsync"/>
    public static string ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            Append(buffer, chunk.AsSpan(0, read), path);
        }
        return Decode(buffer);
    }

    /// <summary>Reads <paramref name="stream"/> to its end; <paramref name="name"/> names it in the error.</summary>
    /// <exception cref="FileTooLargeException">The stream holds more than the limit.</exception>
    public static async Task<string> ReadAsync(Stream stream, string name, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            Append(buffer, chunk.AsSpan(0, read), name);
        }
        return Decode(buffer);
    }

    private static void Append(MemoryStream buffer, ReadOnlySpan<byte> chunk, string name)
    {
        if (buffer.Length + chunk.Length > FileLimits.MaxBytes)
        {
            throw new FileTooLargeException(name);
        }
        buffer.Write(chunk);
    }

    private static string Decode(MemoryStream buffer)
    {
        buffer.Position = 0;
        using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
