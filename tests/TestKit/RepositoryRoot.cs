namespace Mirage.TestKit;

/// <summary>The checkout's root folder (the one holding Mirage.sln), for tests that read specs/ or docs/.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(System.IO.Path.Combine(folder.FullName, "Mirage.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException($"no Mirage.sln above {AppContext.BaseDirectory}");
    }
}
