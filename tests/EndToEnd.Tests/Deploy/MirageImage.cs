using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile built once for the deploy tests, in a podman of their own: on a runtime-deps stand-in made from
/// this machine's apt mirror (scripts/make-base-image.sh, cached under ~/.cache/mirage-image), with the app published
/// here (<c>APP=prebuilt</c>), so no registry is needed. The busybox test image is there too, as the Compose app.
/// </summary>
public sealed class MirageImage : IAsyncLifetime
{
    public const string Name = "localhost/mirage:deploy-test";
    private const string BaseImage = "localhost/mirage-runtime-deps:local";

    private IsolatedPodman? _podman;
    private string? _context;

    /// <summary>Why the deploy tests cannot run here (podman absent), or null.</summary>
    public string? Absent { get; } = IsolatedPodman.Absent;

    public IsolatedPodman Podman => _podman ?? throw new InvalidOperationException("the deploy tests need podman: " + Absent);

    public async ValueTask InitializeAsync()
    {
        if (Absent is not null)
        {
            return;
        }
        var token = TestContext.Current.CancellationToken;
        _podman = await IsolatedPodman.CreateAsync(token);
        _context = Directory.CreateTempSubdirectory("mirage-image-context-").FullName;
        await _podman.RunAsync("/bin/bash", [RepositoryRoot.Combine("scripts", "make-base-image.sh"), BaseImage, .. _podman.Flags], token);
        // Self-contained, as the Dockerfile's own build stage publishes it; no build server outlives the command.
        await _podman.RunAsync("dotnet",
            ["publish", RepositoryRoot.Combine("src", "Api", "Mirage.Api.csproj"), "-c", "Release", "-r", "linux-x64", "--self-contained",
             "-o", Path.Combine(_context, "mirage"), "-nologo", "-v", "quiet", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            token);
        CopyFolder(RepositoryRoot.Combine("html"), Path.Combine(_context, "html"));
        await _podman.RunAsync(["build", "--pull=never", "-f", RepositoryRoot.Combine("deploy", "Dockerfile"),
            "--build-arg", $"BASE_IMAGE={BaseImage}", "--build-arg", "APP=prebuilt", "-t", Name, _context], token);
        await ContainerEngine.ImportImageAsync(_podman.Flags, token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_podman is not null)
        {
            await _podman.DisposeAsync();
        }
        if (_context is not null)
        {
            Directory.Delete(_context, recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
