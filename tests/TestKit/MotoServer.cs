using System.Diagnostics;

namespace Mirage.TestKit;

/// <summary>
/// A moto server (AWS API emulator) on a free 127.0.0.1 port, for tests. moto is the Debian python3-moto package
/// unpacked under <c>$MIRAGE_MOTO_DIR</c> (default <c>$HOME/.cache/mirage-moto</c>), run with /usr/bin/python3.
/// Dispose stops it by its pid.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private MotoServer(Process process, int port)
    {
        _process = process;
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Endpoint { get; }

    /// <summary>The folder holding moto's Python packages, or a clear error saying how to install it.</summary>
    public static string LocatePythonPath()
    {
        var root = Environment.GetEnvironmentVariable("MIRAGE_MOTO_DIR");
        if (string.IsNullOrWhiteSpace(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mirage-moto");
        }
        var packages = Path.Combine(root, "root", "usr", "lib", "python3", "dist-packages");
        if (!Directory.Exists(Path.Combine(packages, "moto")))
        {
            throw new InvalidOperationException(
                $"moto is not installed: {Path.Combine(packages, "moto")} does not exist. Unpack Debian's python3-moto (trixie) " +
                "under $MIRAGE_MOTO_DIR/root (default $HOME/.cache/mirage-moto/root) with the project's moto install script, or set MIRAGE_MOTO_DIR.");
        }
        if (!File.Exists("/usr/bin/python3"))
        {
            throw new InvalidOperationException("moto needs /usr/bin/python3, which is not installed");
        }
        return packages;
    }

    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken)
    {
        var pythonPath = LocatePythonPath();
        var port = FreePort.Next();
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PYTHONPATH"] = pythonPath;
        var process = Process.Start(info) ?? throw new InvalidOperationException("moto did not start");
        var server = new MotoServer(process, port);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Forgets every resource (POST /moto-api/reset).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Endpoint, "/moto-api/reset"), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Keeps ECS tasks RUNNING until they are stopped: by default moto advances a task one lifecycle step every time
    /// it is described. Reset forgets this too, so call it after every reset.
    /// </summary>
    public async Task KeepEcsTasksRunningAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var content = new StringContent("""{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(Endpoint, "/moto-api/state-manager/set-transition"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.HoldsAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"moto exited with code {_process.ExitCode}: {Output()}");
                }
                using var response = await HttpProbe.GetOrNullAsync(http, new Uri(Endpoint, "/moto-api/"), cancellationToken);
                return response?.IsSuccessStatusCode == true;
            },
            TimeSpan.FromSeconds(60), () => $"moto did not answer GET /moto-api/: {Output()}", cancellationToken);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>The last lines moto printed, for failure messages.</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }
}
