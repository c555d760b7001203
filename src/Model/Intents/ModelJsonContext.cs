using System.Text.Json.Serialization;

namespace Mirage.Model.Intents;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnvironmentIntent))]
[JsonSerializable(typeof(EnvironmentStatus))]
[JsonSerializable(typeof(List<EnvironmentIntent>))]
[JsonSerializable(typeof(List<EnvironmentStatus>))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
