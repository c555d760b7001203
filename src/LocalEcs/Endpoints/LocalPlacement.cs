namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// Where task metadata v4 says a local task runs. The agent always reports a launch type and a zone; code that reads
/// them (to pick a zonal endpoint, or to tell EC2 from Fargate) must find a value of the right shape.
/// </summary>
public static class LocalPlacement
{
    /// <summary>A task on a host Mirage manages, as on an ECS container instance.</summary>
    public const string LaunchType = "EC2";

    /// <summary>The first zone of the configured region (made up, stable).</summary>
    public static string AvailabilityZoneIn(string region) => region + "a";
}
