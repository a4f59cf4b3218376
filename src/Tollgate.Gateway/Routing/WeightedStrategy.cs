namespace Tollgate.Gateway.Routing;

/// <summary>
/// <c>weighted</c>: the first deployment is drawn at random in proportion to its <see cref="Route.Weight"/>, the next
/// from those left in proportion to theirs, and so on, so each deployment takes its share of first attempts.
/// </summary>
internal sealed class WeightedStrategy(Random random) : IRoutingStrategy
{
    public void Order(Span<Route> candidates, in RoutingRequest request)
    {
        long total = 0;
        foreach (var r in candidates)
        {
            total += Math.Max(1, r.Weight);
        }

        for (var i = 0; i < candidates.Length - 1; i++)
        {
            var pick = random.NextInt64(total);
            var j = i;
            while (pick >= Math.Max(1, candidates[j].Weight))
            {
                pick -= Math.Max(1, candidates[j].Weight);
                j++;
            }

            total -= Math.Max(1, candidates[j].Weight);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }
    }
}
