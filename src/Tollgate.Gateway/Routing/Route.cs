using Tollgate.Core.Catalog;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// A deployment: where one attempt of a request goes. The provider, the name the provider knows the model by, and its
/// catalog entry (null when unpriced). Instances live in cached <see cref="RoutePlan"/>s and are shared by requests.
/// </summary>
internal sealed record Route(Upstream Upstream, string UpstreamModel, ModelEntry? Model)
{
    /// <summary>The id the ledger records: <c>provider/model</c>.</summary>
    public string ModelId => Model?.Id ?? Upstream.Id + "/" + UpstreamModel;

    /// <summary>
    /// The stable id of this deployment, <c>provider/upstream-model</c> (e.g. <c>groq-free/llama-3.3-70b-versatile</c>):
    /// the key of its health, breaker and quota state, shared by every group that lists the same deployment.
    /// </summary>
    public string DeploymentId { get; } = Upstream.Id + "/" + UpstreamModel;

    /// <summary>The share of traffic under the <c>weighted</c> strategy.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>The model group this deployment was listed in; null when a client named it directly.</summary>
    public string? Group { get; init; }

    /// <summary>A free tier: the user pays nothing, the ledger still records the catalog price.</summary>
    public bool Free => Upstream.Settings.Free;
}
