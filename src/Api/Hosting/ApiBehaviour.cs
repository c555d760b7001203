namespace Mirage.Api.Hosting;

/// <summary>Switches from the command line that change how the API answers.</summary>
/// <param name="CompatV1">mirage-ecs -compat-v1: POST /api/* also takes forms.</param>
public sealed record ApiBehaviour(bool CompatV1);
