namespace Mirage.Aws.Configuration;

/// <summary>Reads AWS environment variables from <see cref="AwsOptions.Environment"/>, or the process environment.</summary>
public sealed class AwsEnvironment(IReadOnlyDictionary<string, string>? variables)
{
    /// <summary>True when the variables were handed in rather than read from the process.</summary>
    public bool IsExplicit => variables is not null;

    /// <summary>The variable's value, or null when it is unset or blank.</summary>
    public string? Get(string name)
    {
        var value = variables is null
            ? System.Environment.GetEnvironmentVariable(name)
            : variables.GetValueOrDefault(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
