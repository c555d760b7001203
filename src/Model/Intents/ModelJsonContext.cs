using System.Text.Json.Serialization;
using Mirage.Model.Lifecycle;

namespace Mirage.Model.Intents;

/// <summary>
/// Source-generated JSON for intents and statuses (the intent store's files and the API's payloads): camelCase names,
/// enums as camelCase strings, nulls left out when writing.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(CamelCaseEnumConverter<DesiredState>),
        typeof(CamelCaseEnumConverter<IntentSource>),
        typeof(CamelCaseEnumConverter<ConditionStatus>),
        typeof(CamelCaseEnumConverter<LifecycleState>),
    ])]
[JsonSerializable(typeof(EnvironmentIntent))]
[JsonSerializable(typeof(EnvironmentStatus))]
[JsonSerializable(typeof(List<EnvironmentIntent>))]
[JsonSerializable(typeof(List<EnvironmentStatus>))]
[JsonSerializable(typeof(IReadOnlyList<EnvironmentIntent>))]
[JsonSerializable(typeof(IReadOnlyList<EnvironmentStatus>))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
