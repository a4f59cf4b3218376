using Microsoft.Extensions.Time.Testing;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Tests.Routing;

/// <summary>A plain catalog name is the common case: after the first request its plan and order cost no allocation.</summary>
public sealed class FastPathAllocationTests
{
    [Fact]
    public void ResolvePlanAndOrder_CachedCatalogName_AllocateNothing()
    {
        using var registry = new UpstreamRegistry([new ProviderSettings { Id = "openai", BaseUrl = "http://127.0.0.1:9" }], null);
        var catalog = new ModelCatalog([new ModelEntry { Provider = "openai", Model = "gpt-4o-mini", Prices = new ModelPrices { Input = 0.15m, Output = 0.6m } }]);
        var resolver = new ModelResolver(catalog, registry, new GatewayOptions());
        var router = new Router(new RoutingOptions(), new FakeTimeProvider());
        var request = new RoutingRequest(1000, 100);
        for (var i = 0; i < 100; i++)
        {
            Run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            var plan = resolver.ResolvePlan("gpt-4o-mini", out _)!;
            var order = router.Selector.Order(plan.Groups[0], request);
            Assert.Same(plan.Primary, order.Deployments[0]);
        }
    }
}
