namespace Mirage.Model.Configuration;

/// <summary>
/// What Mirage reads of one file it parses (the config, the desired-environments file, a task definition, an object
/// from S3), checked before parsing. A file is hostile until parsed: without these a file of 200,000 <c>[</c> overflows
/// the YAML reader's stack and kills the process at every restart. The numbers are far beyond any real file: a config
/// nests about five levels deep, and a desired-environments file of a thousand environments is about 200 KB.
/// </summary>
public static class FileLimits
{
    /// <summary>The largest file read, in bytes (4 MiB).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>The deepest nesting of mappings and lists in a YAML file.</summary>
    public const int MaxYamlDepth = 64;

    /// <summary>The most aliases (<c>*name</c>) in a YAML file: each may stand for a whole tree.</summary>
    public const int MaxYamlAliases = 10_000;

    /// <summary>The most entries YAML merge keys (<c>&lt;&lt;: *name</c>) may expand to in one file.</summary>
    public const int MaxMergedEntries = 100_000;
}
