using System.Diagnostics;
using Mirage.LocalEcs.Docker;

namespace Mirage.TestKit.Containers;

/// <summary>
/// A Docker-API engine for container tests: the one scripts/test.sh started (MIRAGE_TEST_DOCKER_HOST), or a podman
/// service started here on a socket in a temp folder. The test image (busybox-static with its applets) is imported
/// when the engine lacks it. Without an engine, <see cref="Problem"/> says why, and each container test fails with
/// that message.
/// </summary>
public sealed class ContainerEngine : IAsyncDisposable
{
    public const string Image = "localhost/mirage-test-busybox:1";
    /// <summary>How the tests run podman here: runc and cgroupfs (see toolchain.md).</summary>
    public static IReadOnlyList<string> PodmanFlags { get; } = ["--runtime", "/usr/sbin/runc", "--cgroup-manager=cgroupfs"];

    private Process? _service;
    private string? _folder;

    public string DockerHost { get; private set; } = "";

    public string? Problem { get; private set; }

    private ContainerEngine()
    {
    }

    public static async Task<ContainerEngine> StartAsync(CancellationToken cancellationToken)
    {
        var engine = new ContainerEngine();
        await engine.InitializeAsync(cancellationToken);
        return engine;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("MIRAGE_TEST_DOCKER_HOST");
        if (string.IsNullOrEmpty(host))
        {
            if (!File.Exists("/usr/bin/podman"))
            {
                Problem = "no container engine: MIRAGE_TEST_DOCKER_HOST is not set and podman is not installed (scripts/test.sh installs and starts it)";
                return;
            }
            _folder = Directory.CreateTempSubdirectory("mirage-engine-").FullName;
            var conf = Path.Combine(_folder, "containers.conf");
            await File.WriteAllTextAsync(conf, "[containers]\ndefault_ulimits = []\n", cancellationToken);
            Environment.SetEnvironmentVariable("CONTAINERS_CONF", conf);
            host = "unix://" + Path.Combine(_folder, "engine.sock");
            var info = new ProcessStartInfo("/usr/bin/podman") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in PodmanFlags.Concat(["system", "service", host, "--time=0"]))
            {
                info.ArgumentList.Add(arg);
            }
            _service = Process.Start(info);
        }
        DockerHost = host;
        using var engine = new DockerEngineClient(host);
        try
        {
            await Eventually.HoldsAsync(() => engine.PingAsync(TimeSpan.FromSeconds(2), TimeProvider.System, cancellationToken),
                TimeSpan.FromSeconds(30), () => $"no container engine answers at {host}", cancellationToken);
        }
        catch (TimeoutException e)
        {
            Problem = e.Message;
            return;
        }
        if (await engine.InspectImageAsync(Image, cancellationToken) is null)
        {
            await ImportImageAsync(PodmanFlags, cancellationToken);
        }
    }

    public void RequireEngine()
    {
        if (Problem is not null)
        {
            throw new InvalidOperationException("container test cannot run: " + Problem);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }
        _service?.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A rootfs of busybox-static and its applet links, imported as <see cref="Image"/> by podman with <paramref name="podmanFlags"/>.</summary>
    public static async Task ImportImageAsync(IReadOnlyList<string> podmanFlags, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("mirage-rootfs-").FullName;
        try
        {
            var script = $"set -e; cd '{root}'; mkdir -p rootfs/bin rootfs/tmp rootfs/etc; cp /bin/busybox rootfs/bin/busybox; " +
                "for a in $(/bin/busybox --list); do [ \"$a\" = busybox ] || ln -sf busybox rootfs/bin/$a; done; " +
                "echo 'root:x:0:0:root:/root:/bin/sh' > rootfs/etc/passwd; tar -C rootfs -cf rootfs.tar . && " +
                $"podman {string.Join(' ', podmanFlags.Select(f => $"'{f}'"))} import rootfs.tar {Image}";
            var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(script);
            using var process = Process.Start(info)!;
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"could not import the test image {Image}: {error}");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
