using Tollgate.Core.Catalog;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Tests.Routing;

public sealed class StrategyTests
{
    private static readonly RoutingRequest Small = new(1_000, 500);

    private static string[] Ids(Span<Route> routes) => routes.ToArray().Select(r => r.Upstream.Id).ToArray();

    [Fact]
    public void Priority_Order_KeepsConfiguredOrder()
    {
        Route[] routes = [Deployments.Make("a"), Deployments.Make("b"), Deployments.Make("c")];

        new PriorityStrategy().Order(routes, Small);

        Assert.Equal(["a", "b", "c"], Ids(routes));
    }

    [Fact]
    public void Weighted_ManyRequests_FirstPicksWithinStatisticalBounds()
    {
        var a = Deployments.Make("a", weight: 1);
        var b = Deployments.Make("b", weight: 3);
        var c = Deployments.Make("c", weight: 6);
        var strategy = new WeightedStrategy(new Random(20260301));
        var firsts = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
        const int N = 10_000;

        for (var i = 0; i < N; i++)
        {
            Route[] routes = [a, b, c];
            strategy.Order(routes, Small);
            firsts[routes[0].Upstream.Id]++;
            Assert.Equal(3, routes.Distinct().Count());
        }

        // Each share within 4 standard deviations of its expectation (binomial): a false failure is ~1 in 15,000.
        foreach (var (id, p) in new[] { ("a", 0.1), ("b", 0.3), ("c", 0.6) })
        {
            var sd = Math.Sqrt(N * p * (1 - p));
            Assert.InRange(firsts[id], (N * p) - (4 * sd), (N * p) + (4 * sd));
        }
    }

    [Fact]
    public void Weighted_SecondPlace_DrawnFromTheRestByWeight()
    {
        var a = Deployments.Make("a", weight: 8);
        var b = Deployments.Make("b", weight: 1);
        var c = Deployments.Make("c", weight: 1);
        var strategy = new WeightedStrategy(new Random(7));
        var bSecondAfterA = 0;
        var aFirst = 0;

        for (var i = 0; i < 5_000; i++)
        {
            Route[] routes = [a, b, c];
            strategy.Order(routes, Small);
            if (routes[0] == a)
            {
                aFirst++;
                bSecondAfterA += routes[1] == b ? 1 : 0;
            }
        }

        // With a first, b and c are equally likely second.
        var share = (double)bSecondAfterA / aFirst;
        Assert.InRange(share, 0.45, 0.55);
    }

    [Fact]
    public void LeastBusy_LeasesHeld_FewestInFlightFirst()
    {
        var health = new PassiveHealth();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var c = Deployments.Make("c");
        using var a1 = health.Lease(a);
        using var a2 = health.Lease(a);
        using var c1 = health.Lease(c);
        var strategy = new LeastBusyStrategy(health, new Random(1));

        Route[] routes = [a, b, c];
        strategy.Order(routes, Small);

        Assert.Equal(["b", "c", "a"], Ids(routes));
    }

    [Fact]
    public void LeastBusy_LeaseDisposed_CountsDown()
    {
        var health = new PassiveHealth();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var lease = health.Lease(a);
        var strategy = new LeastBusyStrategy(health, new Random(1));
        Route[] routes = [a, b];
        strategy.Order(routes, Small);
        Assert.Equal("b", routes[0].Upstream.Id);

        lease.Dispose();
        lease.Dispose();
        using var held = health.Lease(b);
        routes = [a, b];
        strategy.Order(routes, Small);

        Assert.Equal(0, health.InFlight(a));
        Assert.Equal("a", routes[0].Upstream.Id);
    }

    [Fact]
    public void LeastBusy_AllIdle_TiesSpreadAtRandom()
    {
        var health = new PassiveHealth();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var strategy = new LeastBusyStrategy(health, new Random(3));
        var aFirst = 0;

        for (var i = 0; i < 1_000; i++)
        {
            Route[] routes = [a, b];
            strategy.Order(routes, Small);
            aFirst += routes[0] == a ? 1 : 0;
        }

        Assert.InRange(aFirst, 400, 600);
    }

    [Fact]
    public void Latency_AfterEwmaUpdates_FastestFirstUntriedBeforeAll()
    {
        var health = new PassiveHealth();
        var slow = Deployments.Make("slow");
        var fast = Deployments.Make("fast");
        var fresh = Deployments.Make("fresh");
        health.RecordTimeToFirstToken(slow, TimeSpan.FromMilliseconds(900));
        health.RecordTimeToFirstToken(fast, TimeSpan.FromMilliseconds(200));
        var strategy = new LatencyStrategy(health, new Random(5), exploration: 0);

        Route[] routes = [slow, fast, fresh];
        strategy.Order(routes, Small);

        Assert.Equal(["fresh", "fast", "slow"], Ids(routes));
    }

    [Fact]
    public void Latency_DeploymentTurnsSlow_LosesFirstPlace()
    {
        var health = new PassiveHealth();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        health.RecordTimeToFirstToken(a, TimeSpan.FromMilliseconds(100));
        health.RecordTimeToFirstToken(b, TimeSpan.FromMilliseconds(300));
        var strategy = new LatencyStrategy(health, new Random(5), exploration: 0);
        Route[] routes = [b, a];
        strategy.Order(routes, Small);
        Assert.Equal("a", routes[0].Upstream.Id);

        // EWMA with alpha 0.3: 100 -> 190 -> 253 -> 297.1 -> 327.97 (past b's 300) after four slow answers.
        for (var i = 0; i < 4; i++)
        {
            health.RecordTimeToFirstToken(a, TimeSpan.FromMilliseconds(400));
        }

        routes = [b, a];
        strategy.Order(routes, Small);
        Assert.Equal("b", routes[0].Upstream.Id);
        Assert.Equal(327.97, health.TimeToFirstToken(a)!.Value.TotalMilliseconds, 2);
    }

    [Fact]
    public void Latency_Exploration_SometimesTriesTheSlowerFirst()
    {
        var health = new PassiveHealth();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        health.RecordTimeToFirstToken(a, TimeSpan.FromMilliseconds(100));
        health.RecordTimeToFirstToken(b, TimeSpan.FromMilliseconds(300));
        var strategy = new LatencyStrategy(health, new Random(11), exploration: 0.2);
        var bFirst = 0;

        for (var i = 0; i < 5_000; i++)
        {
            Route[] routes = [a, b];
            strategy.Order(routes, Small);
            bFirst += routes[0] == b ? 1 : 0;
        }

        // Exploration puts a random one first 20% of the time, which is b half of those: about 10%.
        Assert.InRange(bFirst, 400, 600);
    }

    [Fact]
    public void Cost_ForRequestSize_CheapestFirst()
    {
        // cheap-in: cheap input, dear output; cheap-out: the reverse. Which is cheaper depends on the request.
        var cheapIn = Deployments.Make("cheap-in", prices: Deployments.Prices(0.1m, 10m));
        var cheapOut = Deployments.Make("cheap-out", prices: Deployments.Prices(2m, 1m));
        var unpriced = Deployments.Make("unpriced");
        var strategy = new CostStrategy();

        Route[] routes = [unpriced, cheapOut, cheapIn];
        strategy.Order(routes, new RoutingRequest(100_000, 100));
        Assert.Equal(["cheap-in", "cheap-out", "unpriced"], Ids(routes));

        routes = [unpriced, cheapIn, cheapOut];
        strategy.Order(routes, new RoutingRequest(100, 10_000));
        Assert.Equal(["cheap-out", "cheap-in", "unpriced"], Ids(routes));
    }

    [Fact]
    public void Cost_LongContextRates_CountForLargePrompts()
    {
        // Same base prices; one doubles past 200K prompt tokens, as Anthropic does.
        var tiered = Deployments.Make("tiered", prices: new ModelPrices
        {
            Input = 1m,
            Output = 5m,
            LongContext = new LongContextPrices { ThresholdTokens = 200_000, Input = 2m, Output = 10m },
        });
        var flat = Deployments.Make("flat", prices: Deployments.Prices(1.2m, 5m));
        var strategy = new CostStrategy();

        Route[] routes = [flat, tiered];
        strategy.Order(routes, new RoutingRequest(10_000, 100));
        Assert.Equal("tiered", routes[0].Upstream.Id);

        routes = [tiered, flat];
        strategy.Order(routes, new RoutingRequest(300_000, 100));
        Assert.Equal("flat", routes[0].Upstream.Id);
    }

    [Fact]
    public void FreeFirst_Order_FreeInConfiguredOrderThenPaidByCost()
    {
        var dear = Deployments.Make("dear", prices: Deployments.Prices(5m, 15m));
        var free1 = Deployments.Make("free1", free: true, prices: Deployments.Prices(0.6m, 0.8m));
        var cheap = Deployments.Make("cheap", prices: Deployments.Prices(0.1m, 0.4m));
        var free2 = Deployments.Make("free2", free: true);

        Route[] routes = [dear, free1, cheap, free2];
        new FreeFirstStrategy().Order(routes, Small);

        Assert.Equal(["free1", "free2", "cheap", "dear"], Ids(routes));
    }
}
