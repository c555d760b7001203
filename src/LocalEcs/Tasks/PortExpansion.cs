using System.Globalization;
using System.Text.RegularExpressions;

namespace Mirage.LocalEcs.Tasks;

/// <summary>Replaces <c>${PORT}</c> and <c>${PORT_&lt;containerPort&gt;}</c> with allocated ports; anything else is left as written.</summary>
internal static partial class PortExpansion
{
    public static string Expand(string value, int? port, IReadOnlyDictionary<int, int> portsByContainerPort) =>
        value.Contains("${PORT", StringComparison.Ordinal)
            ? Placeholder().Replace(value, match =>
            {
                if (!match.Groups[1].Success)
                {
                    return port is { } p ? p.ToString(CultureInfo.InvariantCulture) : match.Value;
                }
                return int.TryParse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var containerPort)
                    && portsByContainerPort.TryGetValue(containerPort, out var allocated)
                    ? allocated.ToString(CultureInfo.InvariantCulture)
                    : match.Value;
            })
            : value;

    [GeneratedRegex(@"\$\{PORT(?:_([0-9]{1,5}))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
