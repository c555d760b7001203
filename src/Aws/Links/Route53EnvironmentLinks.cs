using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Route53;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Links;
using Mirage.Model.Routing;
using Mirage.Model.Subdomains;

namespace Mirage.Aws.Links;

/// <summary>
/// mirage link (mirage-ecs §4.7) as reconciliation: the records <c>{container}.{subdomain}.{zone}</c> (A, TTL 60,
/// one multi-value record per container name across the environment's tasks) are compared with what Route53 holds
/// for the environment, and only the difference is sent. A DELETE carries the record exactly as listed, so it cannot
/// fail the batch the way mirage-ecs's queued deletes could; a lost race just fails this pass, which is retried.
/// </summary>
public sealed partial class Route53EnvironmentLinks(Route53Client route53, LinkConfig config, TimeProvider time, ILogger<Route53EnvironmentLinks> logger)
    : IEnvironmentLinks
{
    public const long Ttl = 60;

    private readonly ConcurrentDictionary<string, bool> _warnedPatterns = new(StringComparer.Ordinal);
    private readonly Lazy<Task<HostedZone>> _zone = new(() => LoadZoneAsync(route53, config.HostedZoneId, time));

    /// <summary>The hosted zone; fails with a message naming <c>link.hosted_zone_id</c> when it cannot be read.</summary>
    public Task<HostedZone> GetZoneAsync(CancellationToken cancellationToken) => _zone.Value.WaitAsync(cancellationToken);

    public async Task<string?> SyncAsync(string subdomain, IReadOnlyList<ObservedTask> runningTasks, CancellationToken cancellationToken)
    {
        if (IsPattern(subdomain))
        {
            return null;
        }
        var zone = await GetZoneAsync(cancellationToken);
        var desired = Desired(subdomain, runningTasks, zone.Name);
        return await ApplyAsync(subdomain, zone, desired, cancellationToken);
    }

    public async Task<string?> RemoveAsync(string subdomain, CancellationToken cancellationToken)
    {
        if (IsPattern(subdomain))
        {
            return null;
        }
        var zone = await GetZoneAsync(cancellationToken);
        return await ApplyAsync(subdomain, zone, new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase), cancellationToken);
    }

    /// <summary>Record name → sorted distinct addresses, for containers with port mappings that are not excluded.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Desired(string subdomain, IReadOnlyList<ObservedTask> tasks, string zoneName)
    {
        var suffix = $".{subdomain}.{ZoneName(zoneName)}";
        return tasks
            .Where(t => t.IpAddress.Length > 0)
            .SelectMany(t => t.Ports.Select(p => p.ContainerName).Distinct(StringComparer.Ordinal).Select(c => (Container: c, t.IpAddress)))
            .Where(x => !config.ExcludeContainers.Any(pattern => PathPattern.Match(pattern, x.Container)))
            .GroupBy(x => x.Container.ToLowerInvariant() + suffix, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(x => x.IpAddress).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], StringComparer.OrdinalIgnoreCase);
    }

    private async Task<string?> ApplyAsync(string subdomain, HostedZone zone, IReadOnlyDictionary<string, IReadOnlyList<string>> desired, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(subdomain, zone, cancellationToken);
        var changes = new List<ResourceRecordSetChange>();
        foreach (var (name, values) in desired.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (current.TryGetValue(name, out var existing) && existing.Ttl == Ttl && existing.Values.Order(StringComparer.Ordinal).SequenceEqual(values))
            {
                continue;
            }
            changes.Add(new ResourceRecordSetChange(ChangeAction.Upsert, new ResourceRecordSet { Name = name, Type = "A", Ttl = Ttl, Values = values }));
        }
        foreach (var (name, existing) in current.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!desired.ContainsKey(name))
            {
                // Exactly what is there: Route53 refuses a DELETE whose values or TTL differ.
                changes.Add(new ResourceRecordSetChange(ChangeAction.Delete, existing));
            }
        }
        if (changes.Count == 0)
        {
            return null;
        }
        foreach (var batch in changes.Chunk(Route53Client.MaxChangesPerBatch))
        {
            await route53.ChangeResourceRecordSetsAsync(zone.Id, batch, $"mirage link {subdomain}", cancellationToken);
        }
        var summary = string.Join("; ", changes.Select(c => c.Action == ChangeAction.Delete
            ? $"deleted {c.RecordSet.Name.TrimEnd('.')}"
            : $"{c.RecordSet.Name.TrimEnd('.')} → {string.Join(',', c.RecordSet.Values)}"));
        LogChanged(subdomain, summary);
        return summary;
    }

    /// <summary>The environment's A records as Route53 holds them: one label (a container name) under <c>{subdomain}.{zone}</c>.</summary>
    private async Task<Dictionary<string, ResourceRecordSet>> CurrentAsync(string subdomain, HostedZone zone, CancellationToken cancellationToken)
    {
        var parent = $"{subdomain}.{ZoneName(zone.Name)}";
        // Route53 sorts names by reversed labels, so the environment's names follow its own name.
        var records = await route53.ListResourceRecordSetsAsync(zone.Id, startName: parent, startType: null, cancellationToken: cancellationToken);
        return records
            .Where(r => r.Type == "A" && r.SetIdentifier is null && r.Name.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase)
                        && !r.Name[..^(parent.Length + 1)].Contains('.', StringComparison.Ordinal))
            .ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
    }

    private bool IsPattern(string subdomain)
    {
        if (!SubdomainRules.IsPattern(subdomain))
        {
            return false;
        }
        if (_warnedPatterns.TryAdd(subdomain, true))
        {
            LogPatternSkipped(subdomain);
        }
        return true;
    }

    private static string ZoneName(string name) => name.EndsWith('.') ? name : name + ".";

    private static async Task<HostedZone> LoadZoneAsync(Route53Client route53, string hostedZoneId, TimeProvider time)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1), time);
            return await route53.GetHostedZoneAsync(hostedZoneId, timeout.Token);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"link.hosted_zone_id {hostedZoneId}: the hosted zone cannot be read ({e.Message}); check the id and that the task role may call route53:GetHostedZone", e);
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "mirage link {Subdomain}: {Changes}")]
    private partial void LogChanged(string subdomain, string changes);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "mirage link: {Subdomain} is a wildcard subdomain; its containers get no Route53 records")]
    private partial void LogPatternSkipped(string subdomain);
}
