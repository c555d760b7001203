namespace Mirage.Model.Configuration;

/// <summary>The raw text of a configuration file and the name used for it in messages (a path or an s3:// URL).</summary>
/// <param name="Version">The source's version of the text (an S3 ETag), for conditional re-reads; null when the source has none.</param>
public sealed record ConfigText(string Text, string DisplayName, string? Version = null);
