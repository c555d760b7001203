namespace Mirage.Aws.S3;

/// <summary>An <c>s3://bucket/key-or-prefix</c> URL.</summary>
public sealed record S3Location(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string location) => location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <exception cref="FormatException">Not an s3://bucket/… URL.</exception>
    public static S3Location Parse(string location)
    {
        if (!IsS3(location))
        {
            throw new FormatException($"'{location}' is not an s3://bucket/key URL");
        }
        var rest = location[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
        {
            throw new FormatException($"'{location}' names no bucket; write s3://bucket/key");
        }
        return new S3Location(bucket, slash < 0 ? "" : rest[(slash + 1)..]);
    }

    /// <summary>The key as a folder prefix: empty, or ending with '/'.</summary>
    public string Prefix => Key.Length == 0 || Key.EndsWith('/') ? Key : Key + "/";

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";
}
