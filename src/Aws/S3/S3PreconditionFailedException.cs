namespace Mirage.Aws.S3;

/// <summary>A conditional write lost: the object changed (If-Match) or already exists (If-None-Match) since it was read.</summary>
public sealed class S3PreconditionFailedException(string bucket, string key, Exception? innerException = null)
    : Exception($"s3://{bucket}/{key} changed since it was read (conditional write refused)", innerException)
{
    public string Bucket { get; } = bucket;
    public string Key { get; } = key;
}
