using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Api.DemoApp;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class IndentedJson : JsonSerializerContext;
