using System.Text.Json.Serialization;
using Mirage.Model.Intents;

namespace Mirage.Api.Environments;

// Intent and status use the Model's camelCase names and enum strings; task rows keep mirage-ecs's names.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<DesiredState>), typeof(CamelCaseEnumConverter<IntentSource>),
        typeof(CamelCaseEnumConverter<ConditionStatus>), typeof(CamelCaseEnumConverter<Model.Lifecycle.LifecycleState>)])]
[JsonSerializable(typeof(EnvironmentDetails))]
[JsonSerializable(typeof(EnvironmentList))]
internal sealed partial class EnvironmentJsonContext : JsonSerializerContext;
