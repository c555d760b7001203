namespace Mirage.Model.Configuration;

/// <summary>
/// A file or object is larger than <see cref="FileLimits.MaxBytes"/>; nothing of it was parsed. Not an
/// <see cref="IOException"/>: reading it again will not help, so no retry policy may take it for a transient failure.
/// </summary>
public sealed class FileTooLargeException(string name) : Exception($"{name}: {TooLarge}")
{
    /// <summary>What is wrong and what to do, without the name.</summary>
    public const string TooLarge = "the file is larger than 4 MiB, the most Mirage reads of one file; split it or remove what is not needed";

    public string Name { get; } = name;
}
