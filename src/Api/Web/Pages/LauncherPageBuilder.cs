using Mirage.Model.Configuration;

namespace Mirage.Api.Web.Pages;

/// <summary>Builds the launcher form from the configured parameters and default task definitions.</summary>
public sealed class LauncherPageBuilder(MirageConfig config, WebUiOptions options)
{
    // mirage-ecs's client-side pattern; the server's own check (SubdomainRules) is the one that counts.
    public const string SubdomainPattern = "[a-zA-Z\\-][a-zA-Z0-9\\-]+";

    public LauncherModel Build(
        string subdomain = "", IReadOnlyDictionary<string, string>? values = null, IReadOnlyList<string>? taskDefinitions = null, WebError? error = null)
    {
        var posted = taskDefinitions?.Where(t => t.Length > 0).ToList();
        return new LauncherModel
        {
            Subdomain = subdomain,
            SubdomainPattern = SubdomainPattern,
            Parameters = [.. config.Parameters.Select(p => ToInput(p, values))],
            TaskDefinitions = posted is { Count: > 0 } ? posted : DefaultTaskDefinitions(),
            KnownTaskDefinitions = KnownTaskDefinitions(),
            Error = error,
        };
    }

    /// <summary><c>link.default_task_definitions</c>, else <c>ecs.default_task_definition</c>; locally <c>demo</c> when neither is set.</summary>
    public IReadOnlyList<string> DefaultTaskDefinitions()
    {
        if (config.Link.DefaultTaskDefinitions is { Count: > 0 } linked)
        {
            return linked;
        }
        if (config.Ecs.DefaultTaskDefinition.Length > 0)
        {
            return [config.Ecs.DefaultTaskDefinition];
        }
        return [options.Local ? "demo" : ""];
    }

    private List<string> KnownTaskDefinitions()
    {
        if (!options.Local || !Directory.Exists(config.Local.TaskDefinitions))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(config.Local.TaskDefinitions, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];
    }

    private static ParameterInput ToInput(ParameterConfig parameter, IReadOnlyDictionary<string, string>? values)
    {
        var secret = SecretNames.LooksSecret(parameter.Name);
        // A refused launch shows the form again; a secret typed into it is not sent back into the page.
        var value = values is not null && values.TryGetValue(parameter.Name, out var posted) && !secret ? posted : parameter.Default;
        return new ParameterInput
        {
            Name = parameter.Name,
            InputId = "param-" + parameter.Name,
            Value = value,
            Default = parameter.Default,
            Placeholder = "your " + parameter.Name,
            Required = parameter.Required,
            IsSecret = secret,
            Description = parameter.Description,
            Rule = parameter.Rule,
            Options = [.. parameter.Options.Select(o => new OptionView(o.Label.Length > 0 ? o.Label : o.Value, o.Value, o.Value == value))],
        };
    }
}
