namespace Tollgate.Gateway.Routing;

/// <summary>
/// Orders a group's deployments for one request (YARP's <c>ILoadBalancingPolicy</c>, ordering them all rather than
/// picking one, so the retry loop walks the order). The candidates are only those available now: deployments whose
/// circuit is open or whose quota is used up were taken out by <see cref="DeploymentSelector"/> before.
/// </summary>
internal interface IRoutingStrategy
{
    /// <summary>Reorders <paramref name="candidates"/> in place, the first to try first. Never empty.</summary>
    void Order(Span<Route> candidates, in RoutingRequest request);
}
