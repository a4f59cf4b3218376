using Tollgate.Gateway.Resilience;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// <c>latency</c>: deployments that have not answered yet first (so each gets measured), then the lowest moving
/// average of time to first token. With probability <see cref="Exploration"/> a random deployment goes first instead,
/// so one that was slow once is measured again and can win back its place.
/// </summary>
internal sealed class LatencyStrategy(PassiveHealth health, Random random, double exploration = LatencyStrategy.DefaultExploration) : IRoutingStrategy
{
    public const double DefaultExploration = 0.05;

    public double Exploration => exploration;

    public void Order(Span<Route> candidates, in RoutingRequest request)
    {
        Span<double> ms = candidates.Length <= 64 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            // Untried sorts before every measured value.
            ms[i] = health.TimeToFirstToken(candidates[i]) is { } t ? t.TotalMilliseconds : -1;
        }

        StableOrder.By(candidates, ms);
        if (candidates.Length > 1 && random.NextDouble() < exploration)
        {
            var j = random.Next(candidates.Length);
            var chosen = candidates[j];
            candidates[..j].CopyTo(candidates[1..]);
            candidates[0] = chosen;
        }
    }
}
