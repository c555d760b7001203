using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mirage.TestKit;

/// <summary>
/// A real <c>mirage</c> process on a loopback port, started from the test's output folder (test projects that reference
/// src/Api get the <c>mirage</c> apphost copied there). Its data folder and config live in a temp folder that
/// outlives a kill, so a test can restart it over the same state.
/// </summary>
public sealed class MirageProcess : IAsyncDisposable
{
    public const string WebHost = "mirage.localtest.me";

    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private MirageProcess(Process process, MirageProcessSettings settings, int port)
    {
        _process = process;
        Settings = settings;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public MirageProcessSettings Settings { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts mirage with the settings' config and waits until it answers HTTP.</summary>
    public static async Task<MirageProcess> StartAsync(MirageProcessSettings settings, CancellationToken cancellationToken)
    {
        var port = settings.Port ?? FreePort.Next();
        settings = settings with { Port = port };
        Directory.CreateDirectory(settings.Folder);
        var configPath = Path.Combine(settings.Folder, "mirage.yaml");
        await File.WriteAllTextAsync(configPath, settings.RenderConfig(), cancellationToken);

        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "mirage"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = settings.Folder,
        };
        foreach (var arg in (string[])["--local", "--conf", configPath, .. settings.ExtraArgs])
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }
        var process = new MirageProcess(Process.Start(start)!, settings, port);
        await process.WaitUntilServingAsync(cancellationToken);
        return process;
    }

    /// <summary>Sends a request with the given Host header (the Edge dispatches on it).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string host, string path, object? json = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        if (json is not null)
        {
            request.Content = JsonContent.Create(json, json.GetType());
        }
        return await Client.SendAsync(request, cancellationToken);
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, WebHost, path, cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> PostApiAsync(string path, object body, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, WebHost, path, body, cancellationToken);

    /// <summary>SIGKILL: the process gets no chance to clean up, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM and wait: a graceful stop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            return;
        }
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        Client.Dispose();
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mirage exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await SendAsync(HttpMethod.Get, WebHost, "/api/list", cancellationToken: cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        throw new TimeoutException($"mirage did not answer on port {Port} within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
