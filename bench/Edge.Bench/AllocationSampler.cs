using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Mirage.Edge.Bench;

/// <summary>
/// The runtime's allocation sampling (GC AllocationTick, one event per ~100 KB allocated) in-process, by type: which
/// types a proxy allocates per request. Started with <c>serve ... --allocations</c>; printed when the child stops.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    public void Print(TextWriter output)
    {
        var total = _bytesByType.Values.Sum();
        output.WriteLine($"sampled allocations: {total / 1024 / 1024} MB");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(kv => kv.Value).Take(40))
        {
            output.WriteLine($"{100.0 * bytes / total,6:0.0} %  {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "GCAllocationTick_V4" || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }
        var type = eventData.Payload[eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
