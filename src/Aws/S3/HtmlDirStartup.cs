using Microsoft.Extensions.Hosting;

namespace Mirage.Aws.S3;

/// <summary>Downloads an s3:// htmldir when the host starts, so an empty or unreadable prefix stops Mirage with a clear error.</summary>
public sealed class HtmlDirStartup(S3HtmlDirResolver resolver) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => resolver.ResolveAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
