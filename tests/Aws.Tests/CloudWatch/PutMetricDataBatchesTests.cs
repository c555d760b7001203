using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Aws.CloudWatch;

namespace Mirage.Aws.Tests.CloudWatch;

public sealed class PutMetricDataBatchesTests
{
    [Property(MaxTest = 300)]
    public Property Batches_stay_within_the_entry_and_size_limits_and_keep_every_datum_in_order()
    {
        var gen =
            from count in Gen.Choose(0, 60)
            from nameLength in Gen.Choose(1, 40)
            from maxEntries in Gen.Choose(1, 12)
            from maxBytes in Gen.Choose(400, 3000)
            select (count, nameLength, maxEntries, maxBytes);

        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var data = Enumerable.Range(0, c.count)
                .Select(i => new MetricDatum { MetricName = $"m{i}-" + new string('x', c.nameLength), Value = i, Dimensions = [new MetricDimension("Subdomain", "s" + i)] })
                .ToList();

            var bodies = PutMetricDataBatches.Build("Mirage/Test", data, c.maxEntries, c.maxBytes);

            var names = bodies.SelectMany(b => Regex.Matches(b, @"MetricData\.member\.\d+\.MetricName=([^&]+)").Select(m => Uri.UnescapeDataString(m.Groups[1].Value))).ToList();
            return names.SequenceEqual(data.Select(d => d.MetricName))
                && bodies.All(b => System.Text.Encoding.UTF8.GetByteCount(b) <= c.maxBytes)
                && bodies.All(b => Regex.Matches(b, @"\.MetricName=").Count <= c.maxEntries)
                && bodies.All(b => b.StartsWith("Action=PutMetricData&Version=2010-08-01&Namespace=Mirage%2FTest", StringComparison.Ordinal))
                && bodies.All(b => b.Contains("MetricData.member.1.MetricName=", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void More_than_1000_data_make_several_requests_of_at_most_1000()
    {
        var data = Enumerable.Range(0, 2500).Select(i => new MetricDatum { MetricName = "Requests", Value = 1 }).ToList();

        var bodies = PutMetricDataBatches.Build("Mirage/Test", data);

        Assert.Equal([1000, 1000, 500], bodies.Select(b => Regex.Matches(b, @"\.MetricName=").Count));
    }

    [Fact]
    public void A_datum_larger_than_a_whole_request_is_refused_with_a_clear_message()
    {
        var data = new[] { new MetricDatum { MetricName = new string('n', 2000) } };

        var error = Assert.Throws<ArgumentException>(() => PutMetricDataBatches.Build("ns", data, maxBodyBytes: 1000));

        Assert.Contains("exceeds", error.Message, StringComparison.Ordinal);
    }
}
