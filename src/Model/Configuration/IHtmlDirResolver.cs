namespace Mirage.Model.Configuration;

/// <summary>
/// Turns <c>htmldir</c> into a local folder the web UI reads templates from: the folder itself, or (AWS mode) a
/// temporary copy of an <c>s3://bucket/prefix/</c>.
/// </summary>
public interface IHtmlDirResolver
{
    /// <summary>The local folder; the same folder on every call.</summary>
    /// <exception cref="ConfigException">htmldir cannot be used (for example no objects under the S3 prefix).</exception>
    Task<string> ResolveAsync(CancellationToken cancellationToken);
}
