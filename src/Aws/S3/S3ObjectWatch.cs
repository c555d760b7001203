namespace Mirage.Aws.S3;

/// <summary>
/// Reads one small object only when it changed: the first read is a plain GET, later ones carry
/// <c>If-None-Match</c> with the last version seen, so S3 answers 304 with no body while it is unchanged.
/// </summary>
public sealed class S3ObjectWatch(S3ObjectStore store, string bucket, string key)
{
    private string? _etag;

    public string Key => key;

    /// <summary>The object when it is new or changed since the last read; null when unchanged or absent.</summary>
    public async Task<S3TextObject?> ReadIfChangedAsync(CancellationToken cancellationToken)
    {
        var read = _etag is null
            ? new S3ConditionalRead(await store.GetTextAsync(bucket, key, cancellationToken), NotModified: false)
            : await store.GetTextIfChangedAsync(bucket, key, _etag, cancellationToken);
        if (read.NotModified || read.Object is null || read.Object.ETag == _etag)
        {
            return null;
        }
        _etag = read.Object.ETag;
        return read.Object;
    }

    /// <summary>Forgets the version seen, so the next read returns the object as it is.</summary>
    public void Forget() => _etag = null;
}
