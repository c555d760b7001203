using System.Text.Json.Serialization;

namespace Mirage.Api.Cluster;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ClusterResponse))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
