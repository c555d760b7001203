namespace Mirage.Model.Configuration;

/// <summary>Where configuration text comes from: the local file system, or S3 (implemented in Mirage.Aws).</summary>
public interface IConfigSource
{
    /// <summary>True when this source understands <paramref name="location"/> (for example an <c>s3://</c> URL).</summary>
    bool CanRead(string location);

    /// <exception cref="ConfigException">The location cannot be read.</exception>
    Task<ConfigText> ReadAsync(string location, CancellationToken cancellationToken);
}
