using System.Reflection;

namespace Mirage.Api.Web.Templates;

/// <summary>
/// The files of the web UI: each one from <c>htmldir</c> when it is there, else the built-in copy embedded in the
/// assembly, so a custom folder only needs the files it changes and the UI never lacks one.
/// </summary>
public sealed class HtmlDirectory(string folder)
{
    private const string ResourcePrefix = "html/";

    public string Folder { get; } = folder;

    /// <summary>The file's bytes and where they came from (a path, or "built-in name"); null when neither has it.</summary>
    public HtmlFile? Read(string name)
    {
        var path = Path.Combine(Folder, name);
        if (File.Exists(path))
        {
            return new HtmlFile(name, path, File.ReadAllBytes(path), BuiltIn: false);
        }
        return ReadBuiltIn(name);
    }

    public static HtmlFile? ReadBuiltIn(string name)
    {
        using var stream = typeof(HtmlDirectory).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new HtmlFile(name, $"built-in {name}", copy.ToArray(), BuiltIn: true);
    }

    /// <summary>Names of the built-in files (templates and assets).</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ListBuiltIn(typeof(HtmlDirectory).Assembly);

    private static string[] ListBuiltIn(Assembly assembly) =>
        [.. assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Select(n => n[ResourcePrefix.Length..]).Order(StringComparer.Ordinal)];
}

/// <param name="Origin">Where the file came from, for error messages: its path, or "built-in {name}".</param>
public sealed record HtmlFile(string Name, string Origin, byte[] Content, bool BuiltIn)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Content);
}
