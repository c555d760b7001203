using System.Text;
using Mirage.Model.Configuration;
using Mirage.Model.Subdomains;

namespace Mirage.Edge.Dispatch;

/// <summary>
/// The Host header, classified: lower-cased, port stripped, one trailing dot dropped. <see cref="Subdomain"/> is the
/// lower-cased first label when <see cref="Kind"/> is <see cref="HostKind.Environment"/>.
/// </summary>
public readonly record struct RequestHost(HostKind Kind, string Host, string Subdomain)
{
    // A DNS name has at most 253 characters; anything longer cannot be ours.
    public const int MaxHostLength = 253;

    public static RequestHost Classify(string? rawHost, HostConfig names)
    {
        var host = StripPort((rawHost ?? "").AsSpan().Trim());
        if (host.Length > 0 && host[^1] == '.')
        {
            host = host[..^1];
        }
        if (host.Length == 0)
        {
            return new RequestHost(HostKind.Health, "", "");
        }
        if (host.Length > MaxHostLength)
        {
            return new RequestHost(HostKind.Invalid, "", "");
        }
        if (host.Equals(names.WebApi.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return new RequestHost(HostKind.WebApi, "", "");
        }
        var suffix = names.ReverseProxySuffix;
        if (suffix.Length == 0 || !host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return new RequestHost(HostKind.Health, "", "");
        }

        // Clients send the host as it is routed (lower case, no port), and Kestrel hands the same string back for each
        // request of a connection: then that string is the host and only the label is a new one.
        var lowered = rawHost is not null && host.Length == rawHost.Length && IsLowerAscii(host)
            ? rawHost
            : host.ToString().ToLowerInvariant();
        var dot = lowered.IndexOf('.', StringComparison.Ordinal);
        var label = dot < 0 ? lowered : lowered[..dot];
        // No route can be registered for a label DNS would not carry, so there is nothing to look up.
        if (label.Length == 0 || label.Length > SubdomainRules.MaxLength)
        {
            return new RequestHost(HostKind.NotFound, lowered, label);
        }
        return new RequestHost(HostKind.Environment, lowered, label);
    }

    private static bool IsLowerAscii(ReadOnlySpan<char> host) => Ascii.IsValid(host) && !host.ContainsAnyInRange('A', 'Z');

    private static ReadOnlySpan<char> StripPort(ReadOnlySpan<char> host)
    {
        if (host.Length > 0 && host[0] == '[')
        {
            // IPv6 literal: keep the brackets, drop what follows the closing one.
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }
        var colon = host.IndexOf(':');
        // More than one colon is an unbracketed IPv6 literal, not host:port.
        return colon >= 0 && host[(colon + 1)..].IndexOf(':') < 0 ? host[..colon] : host;
    }
}
