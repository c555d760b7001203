using System.Diagnostics;
using System.Net;
using System.Text;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.Moto;

/// <summary>
/// A moto server (AWS emulator) on a free loopback port for the whole test collection. moto is found at
/// $MIRAGE_MOTO_DIR, else $HOME/.cache/mirage-moto (installed by install-moto.sh).
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; private set; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask InitializeAsync()
    {
        var root = Environment.GetEnvironmentVariable("MIRAGE_MOTO_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mirage-moto");
        var packages = Path.Combine(root, "root", "usr", "lib", "python3", "dist-packages");
        if (!Directory.Exists(Path.Combine(packages, "moto")))
        {
            throw new InvalidOperationException(
                $"moto is not installed at {root} (no {Path.Combine(packages, "moto")}). Run install-moto.sh (the tools folder of the shared docs) or set MIRAGE_MOTO_DIR to its install folder.");
        }
        Port = FreePort.Next();
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = packages;
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3 for moto");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto exited with code {_process.ExitCode} before answering:\n{Output()}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri(Endpoint, "/moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"moto did not answer GET /moto-api/ within 60 s:\n{Output()}");
            }
            await Task.Delay(100);
        }
        await ResetAsync(CancellationToken.None);
    }

    /// <summary>Forgets all state and keeps ECS tasks RUNNING until they are stopped (moto advances them on every describe otherwise).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using (var reset = await Http.PostAsync(new Uri(Endpoint, "/moto-api/reset"), null, cancellationToken))
        {
            reset.EnsureSuccessStatusCode();
        }
        using var transition = await Http.PostAsync(
            new Uri(Endpoint, "/moto-api/state-manager/set-transition"),
            new StringContent("""{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}""", Encoding.UTF8, "application/json"),
            cancellationToken);
        transition.EnsureSuccessStatusCode();
    }

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            // Keep the tail only: moto logs every request.
            if (_output.Length > 20_000)
            {
                _output.Remove(0, 10_000);
            }
            _output.AppendLine(line);
        }
    }
}
