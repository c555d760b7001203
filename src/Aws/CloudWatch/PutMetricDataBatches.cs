using System.Text;
using static Mirage.Aws.Transport.AwsQueryProtocol;

namespace Mirage.Aws.CloudWatch;

/// <summary>Splits metric data into PutMetricData bodies within the API limits: 1000 entries and 1 MB per request.</summary>
public static class PutMetricDataBatches
{
    public const int MaxEntries = 1000;

    /// <summary>1 MB minus room for headers; the limit is on the request payload.</summary>
    public const int MaxBodyBytes = 1_000_000;

    public static IReadOnlyList<string> Build(string metricNamespace, IEnumerable<MetricDatum> data, int maxEntries = MaxEntries, int maxBodyBytes = MaxBodyBytes)
    {
        var header = "Action=PutMetricData&Version=2010-08-01" + Pair("Namespace", metricNamespace);
        var headerBytes = Encoding.UTF8.GetByteCount(header);
        var bodies = new List<string>();
        var body = new StringBuilder(header);
        var bodyBytes = headerBytes;
        var count = 0;
        foreach (var datum in data)
        {
            var entry = Encode(datum, count + 1);
            var entryBytes = Encoding.UTF8.GetByteCount(entry);
            if (count > 0 && (count == maxEntries || bodyBytes + entryBytes > maxBodyBytes))
            {
                bodies.Add(body.ToString());
                body.Clear().Append(header);
                bodyBytes = headerBytes;
                count = 0;
                entry = Encode(datum, 1);
                entryBytes = Encoding.UTF8.GetByteCount(entry);
            }
            if (headerBytes + entryBytes > maxBodyBytes)
            {
                throw new ArgumentException($"Metric datum {datum.MetricName} alone exceeds the {maxBodyBytes}-byte request limit.", nameof(data));
            }
            body.Append(entry);
            bodyBytes += entryBytes;
            count++;
        }
        if (count > 0)
        {
            bodies.Add(body.ToString());
        }
        return bodies;
    }

    private static string Encode(MetricDatum datum, int index)
    {
        var prefix = $"MetricData.member.{index}.";
        var entry = new StringBuilder(Pair(prefix + "MetricName", datum.MetricName));
        for (var d = 0; d < datum.Dimensions.Count; d++)
        {
            entry.Append(Pair($"{prefix}Dimensions.member.{d + 1}.Name", datum.Dimensions[d].Name));
            entry.Append(Pair($"{prefix}Dimensions.member.{d + 1}.Value", datum.Dimensions[d].Value));
        }
        if (datum.Timestamp is { } timestamp)
        {
            entry.Append(Pair(prefix + "Timestamp", Timestamp(timestamp)));
        }
        if (datum.Value is { } value)
        {
            entry.Append(Pair(prefix + "Value", Number(value)));
        }
        if (datum.Unit is { } unit)
        {
            entry.Append(Pair(prefix + "Unit", unit));
        }
        if (datum.StorageResolution is { } resolution)
        {
            entry.Append(Pair(prefix + "StorageResolution", resolution.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return entry.ToString();
    }
}
