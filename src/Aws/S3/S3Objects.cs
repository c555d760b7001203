namespace Mirage.Aws.S3;

public sealed record S3TextObject(string Key, string Text, string ETag, DateTimeOffset? LastModified);

public sealed record S3ObjectSummary(string Key, string ETag, long Size, DateTimeOffset? LastModified);

/// <summary>The answer to a conditional GET: the object (null when the key does not exist), or that it has not changed.</summary>
public sealed record S3ConditionalRead(S3TextObject? Object, bool NotModified);
