using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Mirage.LocalEcs.Docker;

namespace Mirage.TestKit.Containers;

/// <summary>
/// A podman of its own for the deploy tests: storage, run state and network configuration in a temp folder, so the
/// Compose example's network (169.254.170.0/24, the subnet LocalEcs's docker runtime also uses) and the image built
/// here never meet the engine the other container tests share. Disposal removes everything it made.
/// </summary>
public sealed class IsolatedPodman : IAsyncDisposable
{
    private readonly string _folder;
    private readonly IReadOnlyList<string> _flags;
    private readonly Dictionary<string, string?> _environment;
    private Process? _service;

    private IsolatedPodman(string folder)
    {
        _folder = folder;
        _flags =
        [
            .. ContainerEngine.PodmanFlags,
            "--root", Path.Combine(folder, "storage"),
            "--runroot", Path.Combine(folder, "run"),
            "--tmpdir", Path.Combine(folder, "tmp"),
            "--network-config-dir", Path.Combine(folder, "networks"),
        ];
        _environment = new Dictionary<string, string?> { ["CONTAINERS_CONF"] = Path.Combine(folder, "containers.conf") };
    }

    /// <summary>The global flags every podman command of this instance takes.</summary>
    public IReadOnlyList<string> Flags => _flags;

    /// <summary>The Docker API socket of <see cref="StartServiceAsync"/>.</summary>
    public string DockerHost => "unix://" + Path.Combine(_folder, "engine.sock");

    /// <summary>Null where podman can run these tests; otherwise why not (the tests skip with it).</summary>
    public static string? Absent =>
        File.Exists("/usr/bin/podman") ? null : "podman is not installed (/usr/bin/podman); scripts/test.sh installs it";

    public static async Task<IsolatedPodman> CreateAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("mirage-deploy-podman-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "networks"));
        await File.WriteAllTextAsync(Path.Combine(folder, "containers.conf"), "[containers]\ndefault_ulimits = []\n", cancellationToken);
        return new IsolatedPodman(folder);
    }

    /// <summary>Runs <c>podman FLAGS args…</c>; throws with its output unless it exits 0.</summary>
    public Task<BufferedCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("/usr/bin/podman", [.. _flags, .. arguments], cancellationToken);

    /// <summary>Runs another program with this podman's environment (its containers.conf and anything added); throws with its output unless it exits 0.</summary>
    public async Task<BufferedCommandResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(_environment.Concat(environment ?? new Dictionary<string, string?>()).ToDictionary())
            .WithWorkingDirectory(workingDirectory ?? _folder)
            .WithValidation(CommandResultValidation.None);
        var result = await command.ExecuteBufferedAsync(cancellationToken);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{command} exited with {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
    }

    /// <summary>
    /// Starts <c>podman system service</c> on <see cref="DockerHost"/>, in a network namespace of its own, and waits
    /// until it answers. The containers it starts get their bridges in that namespace: CNI refuses a subnet that a
    /// route of the host already covers (LocalEcs's docker runtime leaves its 169.254.170.0/24 bridge behind), and
    /// nothing they send can leave the machine.
    /// </summary>
    public async Task StartServiceAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/usr/bin/unshare") { RedirectStandardError = true, RedirectStandardOutput = true };
        // Loopback up, for the ports the containers publish on 127.0.0.1 (inside the namespace).
        string[] namespaced = ["--net", "/bin/sh", "-c", "ip link set lo up && exec \"$@\"", "sh", "/usr/bin/podman"];
        foreach (var argument in namespaced.Concat(_flags).Concat(["system", "service", DockerHost, "--time=0"]))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["CONTAINERS_CONF"] = _environment["CONTAINERS_CONF"];
        _service = Process.Start(info);
        using var engine = new DockerEngineClient(DockerHost);
        await Eventually.HoldsAsync(() => engine.PingAsync(TimeSpan.FromSeconds(2), TimeProvider.System, cancellationToken),
            TimeSpan.FromSeconds(30), () => $"podman system service did not answer at {DockerHost}", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }
        _service?.Dispose();
        // Unmounts and deletes what the storage holds (containers, images, overlay layers), then the folder.
        await RunAsync(["system", "reset", "--force"], CancellationToken.None);
        Directory.Delete(_folder, recursive: true);
    }
}
