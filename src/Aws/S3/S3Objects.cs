namespace Mirage.Aws.S3;

public sealed record S3TextObject(string Key, string Text, string ETag, DateTimeOffset? LastModified);

public sealed record S3ObjectSummary(string Key, string ETag, long Size, DateTimeOffset? LastModified);
