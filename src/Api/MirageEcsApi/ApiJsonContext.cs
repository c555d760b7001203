using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiResult))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(LogsResponse))]
[JsonSerializable(typeof(AccessResponse))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(PurgeDryRunResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
