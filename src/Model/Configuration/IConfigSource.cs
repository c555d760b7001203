namespace Mirage.Model.Configuration;

/// <summary>Where configuration text comes from: the local file system, or S3 (implemented in Mirage.Aws).</summary>
public interface IConfigSource
{
    /// <summary>True when this source understands <paramref name="location"/> (for example an <c>s3://</c> URL).</summary>
    bool CanRead(string location);

    /// <exception cref="ConfigException">The location cannot be read.</exception>
    Task<ConfigText> ReadAsync(string location, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <paramref name="location"/> unless it still has <paramref name="knownVersion"/> (a <see cref="ConfigText.Version"/>
    /// from an earlier read), in which case the answer is null. Sources without versions always read.
    /// </summary>
    /// <exception cref="ConfigException">The location cannot be read.</exception>
    async Task<ConfigText?> ReadIfChangedAsync(string location, string? knownVersion, CancellationToken cancellationToken) =>
        await ReadAsync(location, cancellationToken);
}
