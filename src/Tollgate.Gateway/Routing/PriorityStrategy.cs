namespace Tollgate.Gateway.Routing;

/// <summary><c>priority</c>: the configured order.</summary>
internal sealed class PriorityStrategy : IRoutingStrategy
{
    public void Order(Span<Route> candidates, in RoutingRequest request)
    {
    }
}
