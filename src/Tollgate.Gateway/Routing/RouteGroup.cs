using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// One group of a <see cref="RoutePlan"/>: deployments serving one name, and the strategy that orders them per request.
/// A model group from <c>models</c>, or a single deployment for a catalog name or <c>provider/model</c>. Immutable.
/// </summary>
internal sealed class RouteGroup(string name, RoutingStrategyKind strategy, Route[] deployments)
{
    /// <summary>The group's name, or the model name that produced a single-deployment group.</summary>
    public string Name { get; } = name;

    public RoutingStrategyKind Strategy { get; } = strategy;

    /// <summary>In configured order; never empty.</summary>
    public IReadOnlyList<Route> Deployments => deployments;

    /// <summary>The same deployments as an array, for strategies that order them without copying twice.</summary>
    internal Route[] DeploymentArray => deployments;

    public override string ToString() => Name;
}
