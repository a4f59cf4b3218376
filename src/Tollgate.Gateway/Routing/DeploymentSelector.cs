using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Resilience;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// Orders a group's deployments for a request: first passes over those whose circuit is open or whose quota has no
/// room for the request's estimated tokens, then applies the group's strategy to the rest. Thread-safe when its
/// <see cref="Random"/> is (the default, <see cref="Random.Shared"/>, is).
/// </summary>
internal sealed class DeploymentSelector
{
    private readonly CircuitBreakers _breakers;
    private readonly ProviderQuotas _quotas;
    private readonly IRoutingStrategy[] _strategies;

    public DeploymentSelector(PassiveHealth health, CircuitBreakers breakers, ProviderQuotas quotas, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(health);
        _breakers = breakers;
        _quotas = quotas;
        random ??= Random.Shared;
        _strategies = new IRoutingStrategy[Enum.GetValues<RoutingStrategyKind>().Length];
        _strategies[(int)RoutingStrategyKind.Priority] = new PriorityStrategy();
        _strategies[(int)RoutingStrategyKind.Weighted] = new WeightedStrategy(random);
        _strategies[(int)RoutingStrategyKind.LeastBusy] = new LeastBusyStrategy(health, random);
        _strategies[(int)RoutingStrategyKind.Latency] = new LatencyStrategy(health, random);
        _strategies[(int)RoutingStrategyKind.Cost] = new CostStrategy();
        _strategies[(int)RoutingStrategyKind.FreeFirst] = new FreeFirstStrategy();
    }

    public IRoutingStrategy Strategy(RoutingStrategyKind kind) => _strategies[(int)kind];

    /// <summary>Whether <paramref name="deployment"/> may be tried now for a request of this size.</summary>
    public bool IsAvailable(Route deployment, in RoutingRequest request) =>
        !_breakers.IsOpen(deployment) && _quotas.HasRoom(deployment, request.EstimatedTokens);

    public DeploymentOrder Order(RouteGroup group, in RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(group);
        var all = group.DeploymentArray;
        Route[]? available = null;
        int kept = 0, quota = 0, open = 0;
        DateTimeOffset? availableAt = null;
        for (var i = 0; i < all.Length; i++)
        {
            var d = all[i];
            DateTimeOffset? back = null;
            if (_breakers.OpenUntil(d) is { } until)
            {
                open++;
                back = until;
            }
            else if (_quotas.Check(d, request.EstimatedTokens) is { HasRoom: false } check)
            {
                quota++;
                back = check.RoomAt;
            }

            if (back is not null)
            {
                availableAt = availableAt is null || back < availableAt ? back : availableAt;
                if (available is null)
                {
                    // The first one passed over: from here the group's own array no longer fits.
                    available = new Route[all.Length];
                    Array.Copy(all, available, i);
                    kept = i;
                }

                continue;
            }

            if (available is not null)
            {
                available[kept++] = d;
            }
        }

        if (available is null)
        {
            // Everything available and nothing to reorder: the group's own array, no allocation.
            if (all.Length == 1 || group.Strategy == RoutingStrategyKind.Priority)
            {
                return new DeploymentOrder(all, 0, 0, null);
            }

            available = (Route[])all.Clone();
            kept = all.Length;
        }
        else
        {
            Array.Resize(ref available, kept);
        }

        var order = available;
        if (order.Length > 1)
        {
            _strategies[(int)group.Strategy].Order(order, request);
        }

        return new DeploymentOrder(order, quota, open, availableAt);
    }
}
