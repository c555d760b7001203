using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mirage.Model.Configuration;

/// <summary>
/// Loads a mirage-ecs config file: the template pass (Go text/template with <c>env</c>, <c>must_env</c>, <c>json_escape</c>), then YAML
/// read over mirage-ecs's defaults, then the <c>-local</c> overrides. Environment variables are read through
/// <paramref name="environment"/> (null = unset) so tests control them.
/// </summary>
public sealed class ConfigLoader(Func<string, string?> environment)
{
    /// <summary>The configuration mirage-ecs runs with when no file is given.</summary>
    public ConfigLoadResult LoadDefaults(ConfigLoaderOptions options) => Load(null, options);

    /// <summary>Loads <paramref name="text"/> (null: defaults only).</summary>
    /// <exception cref="ConfigException">The file cannot be used; the message says where and how to fix it.</exception>
    public ConfigLoadResult Load(ConfigText? text, ConfigLoaderOptions options)
    {
        var warnings = new List<ConfigWarning>();
        var config = Defaults(options);
        if (text is not null)
        {
            var rendered = new ConfigTemplate(environment).Render(text.Text, text.DisplayName, warnings);
            var reader = new ConfigNodeReader(text.DisplayName, rendered.Lines, warnings);
            var root = ParseYaml(rendered.Text, reader);
            if (root is not null)
            {
                config = new ConfigYamlMapper(reader).Read(root, config);
            }
        }
        if (options.Local)
        {
            config = config with { Host = new HostConfig { WebApi = "mirage.localtest.me", ReverseProxySuffix = ".localtest.me" } };
        }
        return new ConfigLoadResult(config, warnings);
    }

    /// <summary>
    /// Reads <paramref name="location"/> with the first source that understands it, then loads it; an empty location
    /// means defaults only (mirage-ecs's <c>-conf ""</c>).
    /// </summary>
    public async Task<ConfigLoadResult> LoadAsync(
        string? location, IEnumerable<IConfigSource> sources, ConfigLoaderOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(location))
        {
            return LoadDefaults(options);
        }
        var source = sources.FirstOrDefault(s => s.CanRead(location))
            ?? throw new ConfigException(location, null, null, "no reader for this location; give a file path or an s3://bucket/key URL");
        var text = await source.ReadAsync(location, cancellationToken);
        return Load(text, options);
    }

    private MirageConfig Defaults(ConfigLoaderOptions options) => new()
    {
        Host = new HostConfig { WebApi = "mirage" + options.Domain, ReverseProxySuffix = options.Domain },
        // Local mode serves a laptop: loopback only unless the file says otherwise (mirage-ecs binds 0.0.0.0).
        Listen = new ListenConfig
        {
            ForeignAddress = options.Local ? "127.0.0.1" : "0.0.0.0",
            Http = [new ListenPort(options.DefaultPort, options.DefaultPort)],
        },
        Ecs = new EcsConfig { Region = environment("AWS_REGION") ?? "" },
    };

    internal static YamlNode? ParseYaml(string text, ConfigNodeReader reader)
    {
        if (text.Length > FileLimits.MaxBytes)
        {
            throw reader.Error(new Mark(0, 1, 1), FileTooLargeException.TooLarge);
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new LimitedYamlParser(new Parser(new StringReader(text))));
        }
        catch (LimitedYamlParser.LimitExceededException e)
        {
            throw reader.Error(e.Mark, e.Message);
        }
        catch (YamlException e) when (e.Start.Index >= text.TrimEnd().Length && UnclosedYamlConstruct.Find(text) is { } unclosed)
        {
            // The parser noticed at the end of the file that a flow collection was never closed.
            throw Unclosed(reader, unclosed);
        }
        catch (YamlException e)
        {
            throw reader.Error(e.Start, $"invalid YAML: {YamlProblem(e)}; check the indentation and quoting here (values containing \": \" or starting with {{, [, *, & or ! need quotes)");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this when the text ends inside a flow collection or a quoted value:
            // report where that construct opened, not the end of the file.
            if (UnclosedYamlConstruct.Find(text) is { } unclosed)
            {
                throw Unclosed(reader, unclosed);
            }
            var lastLine = text.Count(c => c == '\n') + 1;
            throw reader.Error(new Mark(0, lastLine, 1), "invalid YAML: the file ends inside an unclosed [ ], { } or quoted value; close it");
        }
        return stream.Documents.Count switch
        {
            0 => null,
            1 => ConfigNodeReader.IsNull(stream.Documents[0].RootNode) ? null : stream.Documents[0].RootNode,
            _ => throw reader.Error(stream.Documents[1].RootNode, "the file holds more than one YAML document; remove the \"---\" separator and keep one"),
        };
    }

    private static ConfigException Unclosed(ConfigNodeReader reader, (Mark Mark, string Construct) unclosed)
    {
        var closer = unclosed.Construct switch { "[" => "]", "{" => "}", _ => unclosed.Construct };
        return reader.Error(unclosed.Mark, $"invalid YAML: this {unclosed.Construct} is never closed (the file ends inside it); add the {closer} where it should end");
    }

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the location is given separately.
    private static string YamlProblem(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (marker >= 0 ? message[(marker + 3)..] : message).TrimEnd('.');
    }
}
