namespace Tollgate.Gateway.Routing;

/// <summary>
/// <c>free_first</c>: free-tier deployments first, in configured order, then the paid ones cheapest first (as
/// <see cref="CostStrategy"/>). A free deployment whose quota is used up is already out of the candidates, so
/// requests move to paid deployments exactly when the free quota runs out, and back when it renews.
/// </summary>
internal sealed class FreeFirstStrategy : IRoutingStrategy
{
    public void Order(Span<Route> candidates, in RoutingRequest request)
    {
        var usage = CostStrategy.Usage(request);
        Span<decimal> key = candidates.Length <= 16 ? stackalloc decimal[candidates.Length] : new decimal[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            // Free sorts before any price; equal keys keep the configured order.
            key[i] = candidates[i].Free ? -1 : CostStrategy.Price(candidates[i], usage);
        }

        StableOrder.By(candidates, key);
    }
}
