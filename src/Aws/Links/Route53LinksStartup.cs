using Microsoft.Extensions.Hosting;

namespace Mirage.Aws.Links;

/// <summary>Reads the hosted zone when the host starts, so a wrong <c>link.hosted_zone_id</c> stops Mirage at once.</summary>
public sealed class Route53LinksStartup(Route53EnvironmentLinks links) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => links.GetZoneAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
