using System.Diagnostics;
using System.Globalization;

namespace Mirage.Edge.Bench;

/// <summary>
/// nginx as the reference proxy: its own config and prefix folder, loopback only, upstream keepalive, no access log;
/// started in the foreground and stopped by its PID.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string Path = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;

    private NginxProxy(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
    }

    public int Port { get; }

    public static async Task<NginxProxy> StartAsync(int port, int backendPort, CancellationToken cancellationToken)
    {
        var prefix = Directory.CreateTempSubdirectory("mirage-bench-nginx-").FullName;
        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes auto;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                upstream backend {
                    server 127.0.0.1:{{backendPort}};
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://backend;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    }
                }
            }
            """);
        var configPath = System.IO.Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);

        var start = new ProcessStartInfo(Path) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", configPath, "-p", prefix + "/" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var nginx = new NginxProxy(process, prefix, port);
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
