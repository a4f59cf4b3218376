using Tollgate.Gateway.Resilience;
using Microsoft.Extensions.Time.Testing;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Tests.Routing;

public sealed class DeploymentSelectorTests
{
    private static readonly RoutingRequest Request = new(1_000, 200);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private Router Router(int failures = 2) =>
        new(new RoutingOptions { Breaker = new BreakerOptions { Failures = failures, Open = TimeSpan.FromSeconds(30) } }, _time, new Random(1));

    [Fact]
    public void Order_AllAvailablePriority_SharesTheGroupsArray()
    {
        var router = Router();
        var group = new RouteGroup("g", RoutingStrategyKind.Priority, [Deployments.Make("a"), Deployments.Make("b")]);

        var order = router.Selector.Order(group, Request);

        Assert.Same(group.Deployments, order.Deployments);
        Assert.False(order.NoneAvailable);
    }

    [Fact]
    public async Task Order_OneCircuitOpen_PassedOver()
    {
        var router = Router();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var group = new RouteGroup("g", RoutingStrategyKind.Priority, [a, b]);
        await Deployments.FailAsync(router.Breakers, a, 2);

        var order = router.Selector.Order(group, Request);

        Assert.Equal([b], order.Deployments);
        Assert.Equal(1, order.CircuitOpen);
        Assert.Equal(2, group.Deployments.Count);
    }

    [Fact]
    public async Task Order_EveryCircuitOpen_NoneAvailableSaysCircuits()
    {
        var router = Router();
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        await Deployments.FailAsync(router.Breakers, a, 2);
        _time.Advance(TimeSpan.FromSeconds(10));
        await Deployments.FailAsync(router.Breakers, b, 2);

        var order = router.Selector.Order(new RouteGroup("g", RoutingStrategyKind.LeastBusy, [a, b]), Request);

        Assert.True(order.NoneAvailable);
        Assert.Equal(2, order.CircuitOpen);
        Assert.Equal(0, order.QuotaExhausted);
        Assert.Equal(_time.GetUtcNow().AddSeconds(20), order.AvailableAt);
    }

    [Fact]
    public async Task Order_EveryQuotaUsed_NoneAvailableSaysQuota()
    {
        var router = Router();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { RequestsPerMinute = 1 });
        Assert.NotNull(await router.Quotas.TryReserveAsync(d, 10));

        var order = router.Selector.Order(new RouteGroup("g", RoutingStrategyKind.Priority, [d]), Request);

        Assert.True(order.NoneAvailable);
        Assert.Equal(1, order.QuotaExhausted);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero), order.AvailableAt);
    }

    [Fact]
    public async Task Order_FreeFirst_FreeUntilQuotaUsedThenPaidThenFreeAgain()
    {
        var router = Router();
        var paid = Deployments.Make("openai", "gpt-4o-mini", prices: Deployments.Prices(0.15m, 0.6m));
        var dear = Deployments.Make("anthropic", "claude", prices: Deployments.Prices(3m, 15m));
        var free = Deployments.Make("groq-free", "llama", free: true, limits: new ProviderLimits { RequestsPerMinute = 3 });
        var group = new RouteGroup("g", RoutingStrategyKind.FreeFirst, [dear, paid, free]);
        var firsts = new List<string>();

        for (var i = 0; i < 5; i++)
        {
            var first = router.Selector.Order(group, Request).Deployments[0];
            Assert.NotNull(await router.Quotas.TryReserveAsync(first, Request.EstimatedTokens));
            firsts.Add(first.Upstream.Id);
        }

        Assert.Equal(["groq-free", "groq-free", "groq-free", "openai", "openai"], firsts);
        Assert.Equal(["openai", "anthropic"], router.Selector.Order(group, Request).Deployments.Select(d => d.Upstream.Id));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("groq-free", router.Selector.Order(group, Request).Deployments[0].Upstream.Id);
    }

    [Fact]
    public async Task Order_FreeTierTokensPerDay_PaidOnceTheDayIsUsed()
    {
        var router = Router();
        var paid = Deployments.Make("openai", prices: Deployments.Prices(0.15m, 0.6m));
        var free = Deployments.Make("groq-free", free: true, limits: new ProviderLimits { TokensPerDay = 5_000 });
        var group = new RouteGroup("g", RoutingStrategyKind.FreeFirst, [paid, free]);
        var r = Assert.IsType<QuotaReservation>(await router.Quotas.TryReserveAsync(free, 1_200));
        router.Quotas.Settle(r, 4_500);

        Assert.Equal("groq-free", router.Selector.Order(group, new RoutingRequest(300, 100)).Deployments[0].Upstream.Id);
        Assert.Equal("openai", router.Selector.Order(group, new RoutingRequest(1_000, 100)).Deployments[0].Upstream.Id);
    }
}
