using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Playwright;

namespace Mirage.EndToEnd.Tests.Support;

/// <summary>
/// The npm packages mirage-ecs's templates load from CDNs (Bootstrap, bootstrap-icons, htmx), installed once with the
/// machine's npm into a cache folder and served to Chromium in place of the CDN, so a browser test runs the pages as
/// a user's browser would while nothing leaves the machine. Any other request off loopback is aborted and recorded.
/// </summary>
public sealed class CdnPackages
{
    private static readonly string[] Packages = ["htmx.org@1.9.8", "bootstrap@5.3.0", "bootstrap-icons@1.8.0"];

    private readonly string _modules;
    private readonly List<string> _refused = [];
    private readonly Lock _gate = new();

    private CdnPackages(string modules) => _modules = modules;

    /// <summary>Requests that were neither loopback nor one of the packages: the page would have fetched them from the internet.</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_gate)
            {
                return [.. _refused];
            }
        }
    }

    public static async Task<CdnPackages> InstallAsync(CancellationToken cancellationToken)
    {
        var folder = Environment.GetEnvironmentVariable("MIRAGE_CDN_PACKAGES_DIR")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mirage-cdn-packages");
        var modules = Path.Combine(folder, "node_modules");
        if (!Packages.All(p => File.Exists(Path.Combine(modules, p[..p.LastIndexOf('@')], "package.json"))))
        {
            Directory.CreateDirectory(folder);
            // The registry comes from the machine's npm configuration.
            var install = await Cli.Wrap("npm")
                .WithArguments(["install", "--no-audit", "--no-fund", "--no-save", "--prefix", folder, .. Packages])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken);
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install {string.Join(' ', Packages)} failed ({install.ExitCode}): {install.StandardError}");
            }
        }
        return new CdnPackages(modules);
    }

    /// <summary>Serves the packages' CDN addresses from the cache and lets loopback through, for every page of <paramref name="context"/>.</summary>
    public Task RouteAsync(IBrowserContext context) => context.RouteAsync("**/*", async route =>
    {
        var uri = new Uri(route.Request.Url);
        if (uri.Host is "127.0.0.1" or "localhost" || uri.Host.EndsWith("localtest.me", StringComparison.Ordinal))
        {
            await route.ContinueAsync();
            return;
        }
        if (FileFor(uri) is { } file && File.Exists(file))
        {
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Path = file,
                // The templates ask with crossorigin="anonymous" and an integrity hash: the answer must allow CORS.
                Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*", ["Content-Type"] = ContentType(file) },
            });
            return;
        }
        lock (_gate)
        {
            _refused.Add(route.Request.Url);
        }
        await route.AbortAsync();
    });

    // A CDN address of an npm package: [/npm]/{package}@{version}[/{path}], the package's file at path, or without
    // one its "unpkg" entry file. Only the packages installed here match.
    private string? FileFor(Uri uri)
    {
        var path = uri.AbsolutePath.TrimStart('/');
        if (path.StartsWith("npm/", StringComparison.Ordinal))
        {
            path = path["npm/".Length..];
        }
        var at = path.IndexOf('@', 1);
        if (at < 0)
        {
            return null;
        }
        var package = path[..at];
        var root = Path.Combine(_modules, package);
        if (package.Contains('/', StringComparison.Ordinal) || !Packages.Any(p => p.StartsWith(package + "@", StringComparison.Ordinal)))
        {
            return null;
        }
        var slash = path.IndexOf('/', at);
        if (slash >= 0)
        {
            var file = Path.GetFullPath(Path.Combine(root, path[(slash + 1)..]));
            return file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? file : null;
        }
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "package.json")));
        return manifest.RootElement.TryGetProperty("unpkg", out var main) ? Path.Combine(root, main.GetString()!) : null;
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".css" => "text/css",
        ".js" => "application/javascript",
        ".woff2" => "font/woff2",
        ".woff" => "font/woff",
        _ => "application/octet-stream",
    };
}
