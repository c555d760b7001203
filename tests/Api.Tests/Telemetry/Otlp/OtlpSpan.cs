namespace Mirage.Api.Tests.Telemetry.Otlp;

/// <summary>What the tests read of one OTLP span: ids in hex, its name, scope, string/int attributes and links.</summary>
public sealed record OtlpSpan(
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links);
