using System.Text.RegularExpressions;
using Mirage.Model.Configuration;

namespace Mirage.Model.Parameters;

/// <summary>A configured launch parameter with its rule compiled (null when it has none).</summary>
public sealed record CompiledParameter(ParameterConfig Config, Regex? Rule)
{
    public string Name => Config.Name;

    /// <summary>Compiles the rule; an invalid rule fails with mirage-ecs's <c>invalid parameter rule: …</c> message.</summary>
    public static CompiledParameter Compile(ParameterConfig config)
    {
        if (config.Rule.Length == 0)
        {
            return new CompiledParameter(config, null);
        }
        try
        {
            return new CompiledParameter(config, Re2Rule.Compile(config.Rule));
        }
        catch (ArgumentException e)
        {
            throw new InvalidParameterRuleException(config.Name, config.Rule, e.Message);
        }
    }
}
