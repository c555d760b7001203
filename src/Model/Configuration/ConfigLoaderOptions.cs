namespace Mirage.Model.Configuration;

/// <summary>What the command line contributes to the configuration (mirage-ecs's <c>-domain</c>, <c>-default-port</c>, <c>-local</c>).</summary>
public sealed record ConfigLoaderOptions
{
    /// <summary>Environment host suffix with its leading dot; also gives the default web API host <c>"mirage" + Domain</c>.</summary>
    public string Domain { get; init; } = ".local";

    /// <summary>Listen and target port of the default <c>listen.http</c> entry.</summary>
    public int DefaultPort { get; init; } = 80;

    /// <summary>Local mode: the hosts become <c>mirage.localtest.me</c> and <c>.localtest.me</c> whatever the file says.</summary>
    public bool Local { get; init; }
}
