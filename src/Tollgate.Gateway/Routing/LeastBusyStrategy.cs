using Tollgate.Gateway.Resilience;

namespace Tollgate.Gateway.Routing;

/// <summary><c>least_busy</c>: fewest requests in flight first; ties at random so idle deployments share the load.</summary>
internal sealed class LeastBusyStrategy(PassiveHealth health, Random random) : IRoutingStrategy
{
    public void Order(Span<Route> candidates, in RoutingRequest request)
    {
        StableOrder.Shuffle(candidates, random);
        Span<int> busy = candidates.Length <= 64 ? stackalloc int[candidates.Length] : new int[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            busy[i] = health.InFlight(candidates[i]);
        }

        StableOrder.By(candidates, busy);
    }
}
