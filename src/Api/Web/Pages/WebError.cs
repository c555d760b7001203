using System.Text.RegularExpressions;
using Mirage.Model.Configuration;

namespace Mirage.Api.Web.Pages;

/// <summary>
/// An error as the UI shows it: a sentence that says what to do, and the server's own message (as the API would
/// answer it) when that differs, so people can search for it.
/// </summary>
public sealed partial record WebError(string Message, string? Detail)
{
    /// <summary>Explains a message of the launch or terminate logic (mirage-ecs's wording) in plain English.</summary>
    public static WebError Explain(string message, IReadOnlyList<ParameterConfig> parameters)
    {
        var explained = ExplainCore(message, parameters);
        return new WebError(explained, explained == message ? null : message);
    }

    private static string ExplainCore(string message, IReadOnlyList<ParameterConfig> parameters)
    {
        if (LackParameter().Match(message) is { Success: true } lack)
        {
            return $"“{lack.Groups[1].Value}” is required: fill it in and launch again.";
        }
        if (RuleError().Match(message) is { Success: true } rule)
        {
            var name = rule.Groups[1].Value;
            var pattern = parameters.FirstOrDefault(p => p.Name == name)?.Rule;
            return string.IsNullOrEmpty(pattern)
                ? $"The value of “{name}” is not allowed by its rule."
                : $"The value of “{name}” does not match its rule {pattern}: change it so that it does.";
        }
        if (TooLong().Match(message) is { Success: true } tooLong)
        {
            return $"The value of “{tooLong.Groups[1].Value}” is too long: use at most 255 characters.";
        }
        if (NoTaskDefinition().IsMatch(message))
        {
            return "Give at least one task definition (a family such as “demo”, or family:revision).";
        }
        if (NotFoundTaskDefinition().Match(message) is { Success: true } taskDefinition)
        {
            var known = taskDefinition.Groups[2].Success ? $" Known task definitions: {taskDefinition.Groups[2].Value}." : "";
            return $"There is no task definition “{taskDefinition.Groups[1].Value}”: check its name (family, family:revision or ARN).{known}";
        }
        if (InvalidCharacters().Match(message) is { Success: true } invalid)
        {
            return $"The subdomain “{invalid.Groups[1].Value}” is not valid: use letters, digits and hyphens, start with a letter and do not end with a hyphen.";
        }
        return message switch
        {
            "subdomain is empty" => "Give a subdomain: it names the environment and its URL.",
            "subdomain is too short" => "The subdomain is too short: use at least 2 characters.",
            "subdomain is too long" => "The subdomain is too long: use at most 63 characters.",
            "parameter required: id or subdomain" => "Say which environment to terminate (its subdomain).",
            _ => message.Length > 0 ? char.ToUpperInvariant(message[0]) + message[1..] : "The request failed.",
        };
    }

    [GeneratedRegex(@"^lack require parameter: (.+)$")]
    private static partial Regex LackParameter();

    [GeneratedRegex(@"^parameter (.+) value is rule error$")]
    private static partial Regex RuleError();

    [GeneratedRegex(@"^parameter (.+) value is too long\(max 255 unicode characters\)$")]
    private static partial Regex TooLong();

    [GeneratedRegex(@"^parameter required: subdomain=.*, taskdef=\[\]$")]
    private static partial Regex NoTaskDefinition();

    [GeneratedRegex(@"^task definition (\S+) is not found(?:: known: (.+))?")]
    private static partial Regex NotFoundTaskDefinition();

    [GeneratedRegex(@"^subdomain (.+) includes invalid characters$")]
    private static partial Regex InvalidCharacters();
}
