using System.Text.Json.Serialization;

namespace Mirage.Model.Routing;

/// <summary>Source-generated JSON for the shared route table: camelCase names, nulls left out when writing.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SharedRouteTable))]
public sealed partial class RoutingJsonContext : JsonSerializerContext;
