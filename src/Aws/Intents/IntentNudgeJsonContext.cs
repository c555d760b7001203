using System.Text.Json.Serialization;

namespace Mirage.Aws.Intents;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IntentNudge))]
internal sealed partial class IntentNudgeJsonContext : JsonSerializerContext;
