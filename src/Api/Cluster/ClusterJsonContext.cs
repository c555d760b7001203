using System.Text.Json.Serialization;

namespace Mirage.Api.Cluster;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClusterResponse))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
