using Mirage.Model.Configuration;

namespace Mirage.Api.Web.Templates;

/// <summary>Reads an <c>s3://</c> htmldir's files once the resolver has downloaded it (registered after its download).</summary>
public sealed class WebUiFilesStartup(IHtmlDirResolver resolver, WebUiFiles files) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => files.Load(await resolver.ResolveAsync(cancellationToken));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
