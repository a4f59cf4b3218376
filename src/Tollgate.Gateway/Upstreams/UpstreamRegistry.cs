using System.Collections.Frozen;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Upstreams;

/// <summary>The enabled providers by id.</summary>
internal sealed class UpstreamRegistry : IDisposable
{
    private readonly FrozenDictionary<string, Upstream> _byId;

    public UpstreamRegistry(IEnumerable<ProviderSettings> providers, Func<HttpMessageHandler>? demoHandler)
    {
        _byId = providers
            .Select(p => new Upstream(p, p.InProcessEmulator ? demoHandler?.Invoke() : null))
            .ToFrozenDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<Upstream> All => _byId.Values;

    public Upstream? Find(string id) => _byId.GetValueOrDefault(id);

    public bool IsEnabled(string id) => _byId.ContainsKey(id);

    public void Dispose()
    {
        foreach (var u in _byId.Values)
        {
            u.Dispose();
        }
    }
}
