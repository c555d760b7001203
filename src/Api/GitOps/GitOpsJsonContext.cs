using System.Text.Json.Serialization;
using Mirage.Reconciler.GitOps;

namespace Mirage.Api.GitOps;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GitOpsStatus))]
internal sealed partial class GitOpsJsonContext : JsonSerializerContext;
