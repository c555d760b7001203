using Mirage.Reconciler.IntentStore;

namespace Mirage.Reconciler.Tests.IntentStore;

/// <summary>The directory fsync the file store runs after every rename and delete: a real syscall that reports failure.</summary>
public sealed class DirectorySyncTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-dirsync-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Flushing_an_existing_folder_succeeds()
    {
        File.WriteAllText(Path.Combine(_folder, "x.intent.json"), "{}");

        var error = Record.Exception(() => DirectorySync.Flush(_folder));

        Assert.Null(error);
    }

    [Fact]
    public void Flushing_a_missing_folder_is_an_IO_error_that_names_it()
    {
        var missing = Path.Combine(_folder, "gone");

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
