using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mirage.TestKit;

/// <summary>
/// A real <c>mirage local-endpoints</c> process (<c>dotnet mirage.dll local-endpoints</c> from the test output folder)
/// listening on a free loopback port, with the environment the test gives it. Output is captured for failure messages;
/// disposal kills it.
/// </summary>
public sealed class LocalEndpointsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();

    private LocalEndpointsProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts it with <c>--listen 127.0.0.1:{free port}</c> and waits until the port answers HTTP.</summary>
    public static async Task<LocalEndpointsProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "mirage.dll"), "local-endpoints", "--listen", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var endpoints = new LocalEndpointsProcess(process, port);
        process.OutputDataReceived += (_, e) => endpoints.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => endpoints.Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await endpoints.WaitUntilAnsweringAsync(cancellationToken);
        }
        catch
        {
            await endpoints.DisposeAsync();
            throw;
        }
        return endpoints;
    }

    /// <summary>A failure message: what was expected, then the process's output.</summary>
    public string Explain(string what) => $"{what}\n--- mirage local-endpoints output (pid {_process.Id}, port {Port}) ---\n{Output}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.HoldsAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException(Explain($"mirage local-endpoints exited with code {_process.ExitCode} before answering"));
                }
                // Any answer (the 404 fallback) means it listens.
                using var response = await HttpProbe.GetOrNullAsync(client, new Uri(BaseAddress, "not-a-route"), cancellationToken);
                return response is not null;
            },
            TimeSpan.FromSeconds(90), () => Explain("mirage local-endpoints did not answer"), cancellationToken);
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_outputGate)
        {
            _output.Append(line).Append('\n');
        }
    }
}
