using Mirage.Model.Configuration;

namespace Mirage.Model.Launch;

/// <summary>
/// mirage-ecs's recover: tasks relaunched after an infrastructure stop carry <c>recover.parameter</c> set to its
/// default (env and tag), so the application can tell a recovery from a launch.
/// </summary>
public static class RecoveryParameters
{
    /// <summary>The parameters and their configuration for a recovery relaunch.</summary>
    public static (IReadOnlyDictionary<string, string> Values, IReadOnlyList<ParameterConfig> Configured) For(
        IReadOnlyDictionary<string, string> values, IReadOnlyList<ParameterConfig> configured, RecoverConfig recover)
    {
        var parameter = recover.Parameter;
        // A parameter of the same name in the config is used as is (mirage-ecs's AddOrSkipParameter).
        var withParameter = configured.Any(p => p.Name == parameter.Name) ? configured : [.. configured, parameter];
        var withValue = new Dictionary<string, string>(values, StringComparer.Ordinal) { [parameter.Name] = parameter.Default };
        return (withValue, withParameter);
    }
}
