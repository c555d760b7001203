using Google.Protobuf;

namespace Mirage.Api.Tests.Telemetry.Otlp;

/// <summary>
/// Reads just enough of OTLP's protobuf messages (opentelemetry-proto's trace/v1 and metrics/v1) with Google.Protobuf's
/// wire reader: the spans (trace and span ids, parent, name, scope, attributes, links) and the metric names.
/// </summary>
public static class OtlpWire
{
    public static IEnumerable<OtlpSpan> ReadSpans(byte[] exportTraceServiceRequest)
    {
        // ExportTraceServiceRequest.resource_spans = 1 → ResourceSpans.scope_spans = 2 → ScopeSpans { scope = 1, spans = 2 }.
        foreach (var resourceSpans in Fields(exportTraceServiceRequest, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = Fields(scopeSpans, 1).Select(s => Strings(s, 1).FirstOrDefault() ?? "").FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return ReadSpan(scope, span);
                }
            }
        }
    }

    public static IEnumerable<string> ReadMetricNames(byte[] exportMetricsServiceRequest) =>
        // ExportMetricsServiceRequest.resource_metrics = 1 → scope_metrics = 2 → metrics = 2 → Metric.name = 1.
        from resource in Fields(exportMetricsServiceRequest, 1)
        from scope in Fields(resource, 2)
        from metric in Fields(scope, 2)
        from name in Strings(metric, 1)
        select name;

    // Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, attributes = 9 (KeyValue), links = 13.
    private static OtlpSpan ReadSpan(string scope, byte[] span)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Fields(span, 9))
        {
            var key = Strings(keyValue, 1).Single();
            attributes[key] = Fields(keyValue, 2).Select(AnyValueText).FirstOrDefault() ?? "";
        }
        var links = Fields(span, 13).Select(link => (Hex(Fields(link, 1).Single()), Hex(Fields(link, 2).Single()))).ToList();
        return new OtlpSpan(scope, Hex(Fields(span, 1).Single()), Hex(Fields(span, 2).Single()),
            Hex(Fields(span, 4).FirstOrDefault() ?? []), Strings(span, 5).Single(), attributes, links);
    }

    // AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4.
    private static string AnyValueText(byte[] anyValue)
    {
        var input = new CodedInputStream(anyValue);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    return input.ReadString();
                case 2:
                    return input.ReadBool() ? "true" : "false";
                case 3:
                    return input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                case 4:
                    return input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return "";
    }

    private static IEnumerable<string> Strings(byte[] message, int field) =>
        Fields(message, field).Select(b => System.Text.Encoding.UTF8.GetString(b));

    // The length-delimited fields with this number (sub-messages, strings, bytes), in order.
    private static List<byte[]> Fields(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
