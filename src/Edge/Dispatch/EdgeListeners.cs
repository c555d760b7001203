using System.Collections.Frozen;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Dispatch;

/// <summary>The <c>listen.http</c> entries by listen port, so a request's local port tells its target and cookie rule.</summary>
public sealed class EdgeListeners
{
    private readonly FrozenDictionary<int, ListenPort> _byPort;

    public EdgeListeners(MirageConfig config)
    {
        var byPort = new Dictionary<int, ListenPort>();
        foreach (var entry in config.Listen.Http)
        {
            if (entry.Listen is < 1 or > 65535)
            {
                throw new ArgumentException($"listen.http: listen port {entry.Listen} is not between 1 and 65535", nameof(config));
            }
            if (entry.Target is < 1 or > 65535)
            {
                throw new ArgumentException($"listen.http: target port {entry.Target} (listen {entry.Listen}) is not between 1 and 65535", nameof(config));
            }
            if (!byPort.TryAdd(entry.Listen, entry))
            {
                throw new ArgumentException($"listen.http: listen port {entry.Listen} appears more than once; give each entry its own port", nameof(config));
            }
        }
        _byPort = byPort.ToFrozenDictionary();
    }

    public IEnumerable<ListenPort> All => _byPort.Values;

    public ListenPort? Find(int localPort) => _byPort.GetValueOrDefault(localPort);
}
