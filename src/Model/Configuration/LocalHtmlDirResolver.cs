namespace Mirage.Model.Configuration;

/// <summary>htmldir is a local folder: used as it is.</summary>
public sealed class LocalHtmlDirResolver(MirageConfig config) : IHtmlDirResolver
{
    public Task<string> ResolveAsync(CancellationToken cancellationToken) => Task.FromResult(config.HtmlDir);
}
