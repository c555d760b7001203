using System.Text.RegularExpressions;
using Mirage.Model.Configuration;

namespace Mirage.Model.Parameters;

/// <summary>
/// Checks a launch request's parameters against the configured ones, exactly as mirage-ecs's loadParameter does:
/// only configured parameters are read (other request keys are ignored), in config order; an empty value takes the
/// default; a still-empty required one fails; the rule must match somewhere in the value (unanchored); at most
/// <see cref="MaxLength"/> characters. <c>options</c> only shape the launcher form and are not enforced, as upstream.
/// Build once from the config (rules are compiled here) and share.
/// </summary>
public sealed class LaunchParameterResolver
{
    /// <summary>mirage-ecs's limit, in Unicode scalar values (Go runes).</summary>
    public const int MaxLength = 255;

    private const string BranchName = "branch";

    private LaunchParameterResolver(IReadOnlyList<CompiledParameter> parameters) => Parameters = parameters;

    /// <summary>The configured parameters in config order, <c>branch</c> always among them.</summary>
    public IReadOnlyList<CompiledParameter> Parameters { get; }

    /// <summary>
    /// Compiles every rule (throws <see cref="InvalidParameterRuleException"/> for a bad one) and appends the default
    /// <c>branch</c> parameter when the config has none, as mirage-ecs does after loading.
    /// </summary>
    public static LaunchParameterResolver Create(IReadOnlyList<ParameterConfig> parameters)
    {
        var all = parameters.Any(p => p.Name == BranchName) ? parameters : [.. parameters, ParameterConfig.DefaultBranch];
        return new LaunchParameterResolver([.. all.Select(CompiledParameter.Compile)]);
    }

    /// <param name="branch">The request's top-level <c>branch</c>; a <c>branch</c> key in <paramref name="values"/> is ignored.</param>
    /// <param name="values">The request's <c>parameters</c> map.</param>
    public ParameterResolution Resolve(string? branch, IReadOnlyDictionary<string, string>? values)
    {
        var resolved = new List<ResolvedParameter>(Parameters.Count);
        foreach (var parameter in Parameters)
        {
            var config = parameter.Config;
            var value = config.Name == BranchName ? branch : values?.GetValueOrDefault(config.Name);
            if (string.IsNullOrEmpty(value))
            {
                value = config.Default;
            }
            if (value.Length == 0)
            {
                if (config.Required)
                {
                    return ParameterResolution.Invalid($"lack require parameter: {config.Name}");
                }
                continue;
            }
            if (parameter.Rule is { } rule && !Matches(rule, value))
            {
                return ParameterResolution.Invalid($"parameter {config.Name} value is rule error");
            }
            if (CountCharacters(value) > MaxLength)
            {
                return ParameterResolution.Invalid($"parameter {config.Name} value is too long(max 255 unicode characters)");
            }
            resolved.Add(new ResolvedParameter(config, value));
        }
        return ParameterResolution.Valid(resolved);
    }

    /// <summary>
    /// Counts Unicode scalar values, which is what Go's utf8.RuneCountInString counts: the limit falls exactly where
    /// mirage-ecs puts it. UTF-16 units would count an emoji twice; text elements would let a run of combining marks
    /// through as one character. A lone surrogate counts as one, like an invalid byte in Go.
    /// </summary>
    public static int CountCharacters(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    // A rule too slow to decide within its timeout is treated as not matching: the value is refused, not the server.
    private static bool Matches(Regex rule, string value)
    {
        try
        {
            return rule.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
