using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

/// <summary>mirage-ecs's <c>{"result": "..."}</c> answer (APICommonResponse).</summary>
public sealed record ApiResult([property: JsonPropertyName("result")] string Result)
{
    public static ApiResult Ok { get; } = new("ok");
    public static ApiResult Accepted { get; } = new("accepted");
}
