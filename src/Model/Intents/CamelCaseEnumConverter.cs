using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Model.Intents;

/// <summary>Enums as camelCase strings (<c>gitOps</c>, <c>terminated</c>); a parameterless type the source generator can use.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
