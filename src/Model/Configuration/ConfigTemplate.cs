using System.Globalization;
using System.Text;
using Mirage.GoTemplates;
using Mirage.GoTemplates.Execution;
using Mirage.GoTemplates.Values;

namespace Mirage.Model.Configuration;

/// <summary>
/// The template pass mirage-ecs runs over the whole config file before YAML parsing: kayac/go-config, that is Go
/// <c>text/template</c> with no data and the functions <c>env</c>, <c>must_env</c> and <c>json_escape</c> besides Go's
/// own. Rendered on <see cref="GoTemplateSet"/> into a <see cref="RenderedTextBuilder"/>, so YAML errors still name
/// the line as written. Two deliberate differences: a one-argument <c>env</c> of an unset variable is "" with a
/// warning, and the pass is bounded in steps and in output (<see cref="FileLimits.MaxBytes"/>).
/// </summary>
internal sealed class ConfigTemplate(Func<string, string?> environment)
{
    private static readonly GoTemplateLimits Limits = GoTemplateLimits.Default with { MaxOutputChars = FileLimits.MaxBytes };

    public TemplateOutput Render(string text, string file, ICollection<ConfigWarning> warnings)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return new TemplateOutput(text, RenderedLineMap.Identity);
        }
        var output = new RenderedTextBuilder(startsWithText: !text.StartsWith("{{", StringComparison.Ordinal));
        try
        {
            var template = GoTemplateSet.Parse([new GoTemplateSource(file, file, text)], html: false, functions: Functions(warnings), limits: Limits);
            template.Execute(file, data: null, output);
        }
        catch (GoTemplateException e)
        {
            throw new ConfigException(file, e.Line, null, $"template: {e.Problem}{Hint(e)}");
        }
        return new TemplateOutput(output.ToString(), output.BuildLineMap());
    }

    // go-config executes the file with nil data: Go's own message for .Field on nil does not say so.
    private static string Hint(GoTemplateException e) =>
        e.Problem.StartsWith("nil pointer evaluating", StringComparison.Ordinal)
            ? "; the config template has no data, only functions: read settings with {{ env \"NAME\" \"default\" }} or {{ must_env \"NAME\" }}"
            : "";

    private Dictionary<string, GoFunction> Functions(ICollection<ConfigWarning> warnings) => new(StringComparer.Ordinal)
    {
        ["env"] = call => Env(call, warnings),
        ["must_env"] = MustEnv,
        ["json_escape"] = call => JsonEscape(Strings(call, "json_escape", "{{ json_escape \"text\" }}", exactly: 1)[0]),
    };

    // Deliberately not go-config's behaviour for one argument (it returns the variable's name when unset, which turns
    // `token: {{ env "MIRAGE_TOKEN" }}` into the guessable token "MIRAGE_TOKEN"): one unset variable gives "".
    private string Env(GoCall call, ICollection<ConfigWarning> warnings)
    {
        var names = Strings(call, "env", "{{ env \"NAME\" \"default\" }}", exactly: null);
        if (names.Count == 0)
        {
            throw new GoRenderException("env needs a variable name, e.g. {{ env \"NAME\" \"default\" }}");
        }
        foreach (var name in names)
        {
            var value = environment(name);
            if (!string.IsNullOrEmpty(value))
            {
                return value;
            }
        }
        if (names.Count == 1)
        {
            var warning = new ConfigWarning(call.Origin, call.Line,
                $"env \"{names[0]}\": {names[0]} is not set, so the value is empty (mirage-ecs would use the text \"{names[0]}\"); set it, or give a default: {{{{ env \"{names[0]}\" \"default\" }}}}");
            // Once per place: a call inside a range runs many times.
            if (!warnings.Contains(warning))
            {
                warnings.Add(warning);
            }
            return "";
        }
        return names[^1];
    }

    // go-config panics, crashing mirage-ecs at start; Mirage stops the start with where and what to set.
    private string MustEnv(GoCall call)
    {
        var name = Strings(call, "must_env", "{{ must_env \"NAME\" }}", exactly: 1)[0];
        return environment(name) ?? throw new ConfigException(call.Origin, call.Line, null,
            $"must_env \"{name}\": environment variable {name} is not set; set it before starting Mirage, or use {{{{ env \"{name}\" \"default\" }}}}");
    }

    /// <summary>The arguments as strings, as go-config's Go signatures demand.</summary>
    private static List<string> Strings(GoCall call, string function, string example, int? exactly)
    {
        if (exactly is { } count && call.Arguments.Count != count)
        {
            throw new GoRenderException($"{function} takes {(count == 1 ? "exactly one string" : $"{count} strings")}, got {call.Arguments.Count}; write e.g. {example}");
        }
        return [.. call.Arguments.Select(a => a as string
            ?? throw new GoRenderException($"{function} takes strings, not {GoValues.Print(a)}; quote it, e.g. {example}"))];
    }

    /// <summary>Go's <c>json.Marshal</c> of a string, without the quotes.</summary>
    internal static string JsonEscape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append("\\ufffd");
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }
}

internal sealed record TemplateOutput(string Text, RenderedLineMap Lines);
