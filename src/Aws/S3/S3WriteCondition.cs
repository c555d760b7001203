namespace Mirage.Aws.S3;

/// <summary>Conditional PutObject: the write happens only if the object's current state matches.</summary>
public sealed record S3WriteCondition(string? IfMatch, string? IfNoneMatch)
{
    public static S3WriteCondition None { get; } = new(null, null);

    /// <summary>Create only: fails when the key already exists (<c>If-None-Match: *</c>).</summary>
    public static S3WriteCondition MustNotExist { get; } = new(null, "*");

    /// <summary>Replace only the version read before (<c>If-Match: etag</c>).</summary>
    public static S3WriteCondition MustMatch(string etag) => new(etag, null);
}
