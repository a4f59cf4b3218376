namespace Tollgate.Gateway.Configuration;

/// <summary>How a model group orders its deployments for a request (<c>strategy</c> in <c>tollgate.json</c>).</summary>
public enum RoutingStrategyKind
{
    /// <summary><c>priority</c>: in the configured order, the next on failure (the default).</summary>
    Priority,

    /// <summary><c>weighted</c>: at random, in proportion to each deployment's <c>weight</c>.</summary>
    Weighted,

    /// <summary><c>least_busy</c>: fewest requests in flight first.</summary>
    LeastBusy,

    /// <summary><c>latency</c>: lowest recent time to first token (EWMA) first, untried deployments before all, with some exploration.</summary>
    Latency,

    /// <summary><c>cost</c>: cheapest catalog price for this request's size first.</summary>
    Cost,

    /// <summary><c>free_first</c>: free deployments with quota left first, then the others by cost.</summary>
    FreeFirst,
}
