namespace Mirage.LocalEcs.Endpoints;

/// <summary>v2 and v3 share the agent's v2 shapes; v4 adds fields.</summary>
public enum MetadataVersion
{
    V2,
    V3,
    V4,
}
