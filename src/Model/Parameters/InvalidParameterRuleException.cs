namespace Mirage.Model.Parameters;

/// <summary>A configured parameter rule that is not a valid regular expression; raised while loading the config.</summary>
public sealed class InvalidParameterRuleException(string parameter, string rule, string reason)
    : Exception($"invalid parameter rule: parameter {parameter} rule {rule}: {reason}")
{
    public string Parameter { get; } = parameter;
    public string Rule { get; } = rule;
}
