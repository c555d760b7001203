namespace Mirage.Model.Configuration;

/// <summary>The raw text of a configuration file and the name used for it in messages (a path or an s3:// URL).</summary>
public sealed record ConfigText(string Text, string DisplayName);
