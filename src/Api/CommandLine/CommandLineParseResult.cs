using System.Diagnostics.CodeAnalysis;

namespace Mirage.Api.CommandLine;

/// <summary>Either the options or one error message saying what to fix.</summary>
public sealed record CommandLineParseResult(CommandLineOptions? Options, string? Error)
{
    [MemberNotNullWhen(true, nameof(Options))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Options is not null;
}
