using System.Security.Cryptography;
using Mirage.Model.Configuration;

namespace Mirage.Api.Web.Templates;

/// <summary>
/// The UI's static files (CSS, JavaScript, icons) served under <c>/assets/</c>: the built-in ones, each replaced by a
/// file of the same name in htmldir, plus any other asset htmldir adds. Read once at start, like the templates.
/// </summary>
public sealed class WebAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
    };

    private readonly Dictionary<string, WebAsset> _assets;

    private WebAssets(Dictionary<string, WebAsset> assets) => _assets = assets;

    public IReadOnlyCollection<string> Names => _assets.Keys;

    public static WebAssets Load(HtmlDirectory directory)
    {
        var names = new HashSet<string>(HtmlDirectory.BuiltInNames.Where(IsAsset), StringComparer.Ordinal);
        if (Directory.Exists(directory.Folder))
        {
            foreach (var path in Directory.EnumerateFiles(directory.Folder))
            {
                if (IsAsset(Path.GetFileName(path)))
                {
                    names.Add(Path.GetFileName(path));
                }
            }
        }
        var assets = new Dictionary<string, WebAsset>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var file = directory.Read(name)
                ?? throw new ConfigException(Path.Combine(directory.Folder, name), null, null, "asset could not be read");
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(file.Content))[..16] + "\"";
            assets[name] = new WebAsset(file.Content, ContentTypes[Path.GetExtension(name)], etag);
        }
        return new WebAssets(assets);
    }

    public WebAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static bool IsAsset(string name) => ContentTypes.ContainsKey(Path.GetExtension(name));
}

public sealed record WebAsset(byte[] Content, string ContentType, string ETag);
