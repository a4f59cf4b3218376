using Tollgate.Core.Catalog;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Routing;

/// <summary>Where one request goes: the provider, the name the provider knows the model by, and its catalog entry (null when unpriced).</summary>
internal sealed record Route(Upstream Upstream, string UpstreamModel, ModelEntry? Model)
{
    /// <summary>The id the ledger records: <c>provider/model</c>.</summary>
    public string ModelId => Model?.Id ?? Upstream.Id + "/" + UpstreamModel;
}
