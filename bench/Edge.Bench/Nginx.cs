using System.Diagnostics;
using System.Globalization;

namespace Mirage.Edge.Bench;

/// <summary>
/// An nginx master with its own config and prefix folder, loopback only, no access log; started in the foreground and
/// stopped by its PID. Used twice over: as the backend (static 12-byte and 100 KB files) and as the reference proxy.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    public const string Path = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;

    private Nginx(Process process, string prefix)
    {
        _process = process;
        _prefix = prefix;
    }

    public int Pid => _process.Id;

    /// <summary>The backend: <c>/small</c> answers 12 bytes, <c>/large</c> 100 KB, both from files (sendfile).</summary>
    public static async Task<Nginx> StartBackendAsync(int port, CancellationToken cancellationToken)
    {
        var prefix = Directory.CreateTempSubdirectory("mirage-bench-nginx-").FullName;
        var root = System.IO.Path.Combine(prefix, "www");
        Directory.CreateDirectory(root);
        // Run as root, nginx serves files as 'nobody': the temp folder (0700) must let it in.
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(prefix, readable);
            File.SetUnixFileMode(root, readable);
        }
        await File.WriteAllTextAsync(System.IO.Path.Combine(root, "small"), "hello world\n", cancellationToken);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(root, "large"), new byte[100 * 1024].Select((_, i) => (byte)('a' + (i % 26))).ToArray(), cancellationToken);
        return await StartAsync(prefix, "auto", $$"""
            server {
                listen 127.0.0.1:{{port}} backlog=4096;
                keepalive_requests 1000000;
                sendfile on;
                location / { root {{root}}; default_type text/plain; }
            }
            """, port, cancellationToken);
    }

    /// <summary>
    /// The reference proxy, as issue 16 configured it: upstream keepalive, HTTP/1.1 upstream, Host and
    /// X-Forwarded-For set; buffers big enough that a 100 KB answer never goes to a temp file.
    /// </summary>
    public static Task<Nginx> StartProxyAsync(int port, int backendPort, string workers, CancellationToken cancellationToken)
    {
        var prefix = Directory.CreateTempSubdirectory("mirage-bench-nginx-").FullName;
        return StartAsync(prefix, workers, $$"""
            upstream backend {
                server 127.0.0.1:{{backendPort}};
                keepalive 64;
                keepalive_requests 1000000;
            }
            server {
                listen 127.0.0.1:{{port}} backlog=4096;
                keepalive_requests 1000000;
                location / {
                    proxy_pass http://backend;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_buffers 32 8k;
                }
            }
            """, port, cancellationToken);
    }

    private static async Task<Nginx> StartAsync(string prefix, string workers, string server, int port, CancellationToken cancellationToken)
    {
        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes {{workers}};
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
            {{server}}
            }
            """);
        var configPath = System.IO.Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);

        var start = new ProcessStartInfo(Path) { UseShellExecute = false };
        foreach (var arg in new[] { "-c", configPath, "-p", prefix + "/" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var nginx = new Nginx(process, prefix);
        await Ports.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), cancellationToken);
        return nginx;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Graceful stop of this master (and so its workers): SIGQUIT to its own PID.
            using var kill = Process.Start("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), TimeProvider.System);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }
}
