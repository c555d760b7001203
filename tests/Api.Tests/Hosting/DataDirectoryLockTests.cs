using System.Globalization;
using Mirage.Api.Hosting;

namespace Mirage.Api.Tests.Hosting;

/// <summary>The data directory lock: one holder at a time, a refusal that names the folder and the holder, and release on dispose.</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-lock-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_second_holder_is_refused_with_the_folder_and_the_holders_pid()
    {
        var (held, _) = DataDirectoryLock.TryAcquire(_folder);
        using (held)
        {
            // flock locks conflict between open files even within one process, as between two processes.
            var (second, refusal) = DataDirectoryLock.TryAcquire(_folder);

            Assert.NotNull(held);
            Assert.Null(second);
            Assert.Equal(
                $"the data directory {_folder} is in use by another Mirage process (pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}); stop that one, or give this one another local.data_dir",
                refusal);
        }
    }

    [Fact]
    public void The_lock_is_free_again_once_its_holder_let_go()
    {
        var (first, _) = DataDirectoryLock.TryAcquire(_folder);
        first!.Dispose();

        var (again, refusal) = DataDirectoryLock.TryAcquire(_folder);
        using (again)
        {
            Assert.NotNull(again);
            Assert.Null(refusal);
        }
    }

    [Fact]
    public void A_missing_folder_is_created_and_locked()
    {
        var nested = Path.Combine(_folder, "a", "b");

        var (held, refusal) = DataDirectoryLock.TryAcquire(nested);
        using (held)
        {
            Assert.Null(refusal);
            Assert.Equal(nested, held!.Folder);
            Assert.True(File.Exists(Path.Combine(nested, DataDirectoryLock.LockFileName)));
        }
    }
}
