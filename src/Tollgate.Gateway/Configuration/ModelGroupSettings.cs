using Tollgate.Core.Catalog;

namespace Tollgate.Gateway.Configuration;

/// <summary>
/// One entry of the <c>models</c> section: a name clients call, the deployments that serve it, how to choose among
/// them, and where to go when they all fail.
/// </summary>
public sealed record ModelGroupSettings
{
    /// <summary>The name clients send as <c>model</c>; it wins over a catalog model of the same name.</summary>
    public required string Name { get; init; }

    /// <summary>More names for the same group.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public RoutingStrategyKind Strategy { get; init; } = RoutingStrategyKind.Priority;

    /// <summary>At least one.</summary>
    public required IReadOnlyList<DeploymentSettings> Deployments { get; init; }

    /// <summary>
    /// Tried in order when every deployment of this group failed with a retryable error: names of other groups
    /// (or their aliases) or <c>provider/model</c>. Their own fallbacks follow, each group at most once.
    /// </summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    /// <summary>Tried instead when a deployment answers that the prompt does not fit its context window.</summary>
    public IReadOnlyList<string> ContextFallbacks { get; init; } = [];

    /// <summary>Prices (the catalog's shape, USD per 1M tokens) for deployments whose model the catalog lacks.</summary>
    public ModelPrices? Prices { get; init; }

    /// <summary>The context window, for deployments whose model the catalog lacks.</summary>
    public long? ContextWindow { get; init; }

    /// <summary>The largest output, for deployments whose model the catalog lacks.</summary>
    public long? MaxOutput { get; init; }
}
