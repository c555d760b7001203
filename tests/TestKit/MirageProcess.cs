using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Mirage.TestKit;

/// <summary>
/// A real <c>mirage</c> process (<c>dotnet mirage.dll</c> from the test output folder, where test projects that
/// reference src/Api get it) with a config of the test's own, on a free loopback port, in a temporary folder that is
/// removed afterwards. Output is captured for failure messages.
/// </summary>
/// <remarks>
/// The config text may use placeholders: <c>{port}</c> (the listen port), <c>{dataDir}</c> (an empty folder for
/// <c>local.data_dir</c>, or the options' <see cref="MirageProcessOptions.DataDir"/>), <c>{taskDefinitions}</c> (the
/// options' <see cref="MirageProcessOptions.TaskDefinitions"/>), <c>{tempDir}</c> (the process's own temporary folder,
/// also its working directory) and <c>{repoRoot}</c>. To restart over the same state, give the options a
/// <see cref="MirageProcessOptions.DataDir"/> and start <see cref="Options"/> again (same port too).
/// </remarks>
public sealed class MirageProcess : IAsyncDisposable
{
    /// <summary>The web UI and API's host name (<c>host.webapi</c>'s default); *.localtest.me resolves to 127.0.0.1.</summary>
    public const string WebHost = "mirage.localtest.me";

    /// <summary>A local-mode config: one listener on <c>{port}</c>, state in <c>{dataDir}</c>, task definitions from <c>{taskDefinitions}</c>.</summary>
    public const string LocalConfig = """
        listen:
          foreign_address: 127.0.0.1
          http:
            - listen: {port}
              target: 80
        local:
          data_dir: {dataDir}
          task_definitions: {taskDefinitions}

        """;

    private const int SigTerm = 15;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    // Long enough for a launch with wait=true of a local task.
    private static readonly TimeSpan ConvenienceTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly List<LinuxProcess> _orphans = [];
    private readonly HttpClient _client;

    private MirageProcess(Process process, MirageProcessOptions options, string tempDir, string dataDir)
    {
        _process = process;
        Options = options;
        TempDir = tempDir;
        DataDir = dataDir;
        _client = NewClient(ConvenienceTimeout);
    }

    /// <summary>The options it was started with, its port fixed: start them again to restart on the same port.</summary>
    public MirageProcessOptions Options { get; }

    /// <summary>The port of the first listener (<c>{port}</c> in the config).</summary>
    public int Port => Options.Port!.Value;

    /// <summary>The process's temporary folder (working directory, config, and data unless the options name a folder).</summary>
    public string TempDir { get; }

    /// <summary>The folder given as <c>{dataDir}</c>.</summary>
    public string DataDir { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The web UI and API's base address, to use with <c>Host: mirage.localtest.me</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The web UI's address by name (browsers map *.localtest.me to 127.0.0.1 with a resolver rule).</summary>
    public Uri WebUri => new($"http://{WebHost}:{Port}/");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
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

    /// <summary>Starts Mirage and waits until it answers <see cref="MirageProcessOptions.ReadyPath"/> with 200.</summary>
    public static async Task<MirageProcess> StartAsync(MirageProcessOptions options, CancellationToken cancellationToken)
    {
        var tempDir = Directory.CreateTempSubdirectory("mirage-e2e-").FullName;
        var port = options.Port ?? FreePort.Next();
        options = options with { Port = port };
        var dataDir = options.DataDir ?? Path.Combine(tempDir, "data");
        Directory.CreateDirectory(dataDir);
        var config = options.ConfigText
            .Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{dataDir}", dataDir, StringComparison.Ordinal)
            .Replace("{taskDefinitions}", options.TaskDefinitions, StringComparison.Ordinal)
            .Replace("{tempDir}", tempDir, StringComparison.Ordinal)
            .Replace("{repoRoot}", RepositoryRoot.Path, StringComparison.Ordinal);
        var configPath = Path.Combine(tempDir, "mirage.yaml");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);

        var start = new ProcessStartInfo(options.Wrapper.Count > 0 ? options.Wrapper[0] : "dotnet")
        {
            WorkingDirectory = tempDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.Wrapper.Count > 0)
        {
            foreach (var word in options.Wrapper.Skip(1))
            {
                start.ArgumentList.Add(word);
            }
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mirage.dll"));
        foreach (var argument in options.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--conf");
        start.ArgumentList.Add(configPath);
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var mirage = new MirageProcess(process, options, tempDir, dataDir);
        process.OutputDataReceived += (_, e) => mirage.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => mirage.Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await mirage.WaitUntilAnsweringAsync(options, cancellationToken);
        }
        catch
        {
            await mirage.DisposeAsync();
            throw;
        }
        return mirage;
    }

    /// <summary>A client of <paramref name="host"/> (every request carries <c>Host: {host}:{port}</c>, as a browser sends it); redirects are not followed.</summary>
    public HttpClient CreateClient(string host = WebHost)
    {
        var client = NewClient(TimeSpan.FromSeconds(30));
        client.DefaultRequestHeaders.Host = HostHeader(host);
        return client;
    }

    /// <summary>Sends a request to <paramref name="host"/> (the Edge dispatches on the Host header), with an optional JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string host, string path, object? json = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = HostHeader(host);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json, json.GetType());
        }
        return await _client.SendAsync(request, cancellationToken);
    }

    /// <summary>GETs <paramref name="path"/> of the web API; anything but a success fails with the answer.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, WebHost, path, cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(Explain($"GET {path} answered {(int)response.StatusCode}: {text}"));
        }
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="path"/> of the web API.</summary>
    public Task<HttpResponseMessage> PostApiAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, WebHost, path, body, cancellationToken);

    /// <summary>
    /// SIGKILL: Mirage dies at once and its local tasks keep running, as after a crash (a Mirage started on the same
    /// <see cref="MirageProcessOptions.DataDir"/> finds them again). Disposal kills any of them still left.
    /// </summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            _orphans.AddRange(LinuxProcess.DescendantsOf(_process.Id));
            _process.Kill(entireProcessTree: false);
        }
        await _process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Waits until Mirage's output contains <paramref name="text"/>; fails with the output so far.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.HoldsAsync(() => Task.FromResult(Output.Contains(text, StringComparison.Ordinal)), timeout,
            () => Explain($"mirage did not write \"{text}\""), cancellationToken, TimeSpan.FromMilliseconds(100));

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code (SIGKILL after a grace period).</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            if (SendSignal(_process.Id, SigTerm) != 0)
            {
                throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
            }
            using var deadline = new CancellationTokenSource(StopGrace, TimeProvider.System);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"mirage did not stop within {StopGrace.TotalSeconds:0}s of SIGTERM; killed it.\n{Output}");
            }
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await StopAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already reported by StopAsync's caller if it mattered; disposal only has to leave nothing running.
        }
        finally
        {
            foreach (var orphan in _orphans)
            {
                orphan.KillIfStillTheSame();
            }
            _process.Dispose();
            _client.Dispose();
            try
            {
                Directory.Delete(TempDir, recursive: true);
            }
            catch (IOException)
            {
                // A task process still writing its logs; the OS cleans the temp folder eventually.
            }
        }
    }

    /// <summary>A failure message: what was expected, then Mirage's output.</summary>
    public string Explain(string what) => $"{what}\n--- mirage output (pid {ProcessId}, port {Port}) ---\n{Output}";

    private HttpClient NewClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = timeout };

    private string HostHeader(string host) => $"{host}:{Port}";

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

    private async Task WaitUntilAnsweringAsync(MirageProcessOptions options, CancellationToken cancellationToken)
    {
        using var client = CreateClient(options.WebApiHost);
        client.Timeout = TimeSpan.FromSeconds(5);
        await Eventually.HoldsAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException(Explain($"mirage exited with code {_process.ExitCode} before answering"));
                }
                using var response = await HttpProbe.GetOrNullAsync(client, new Uri(options.ReadyPath, UriKind.Relative), cancellationToken);
                return response?.IsSuccessStatusCode == true;
            },
            options.StartTimeout, () => Explain($"mirage did not answer {options.ReadyPath}"), cancellationToken);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
