using Tollgate.Core.Catalog;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Tests.Routing;

/// <summary>Deployments on made-up providers for unit tests; no request is ever sent.</summary>
internal static class Deployments
{
    public static Route Make(string provider, string model = "m", bool free = false, int weight = 1, ProviderLimits? limits = null, ModelPrices? prices = null)
    {
        var upstream = new Upstream(new ProviderSettings { Id = provider, BaseUrl = "http://127.0.0.1:9", Free = free, Limits = limits });
        var entry = prices is null ? null : new ModelEntry { Provider = provider, Model = model, Prices = prices };
        return new Route(upstream, model, entry) { Weight = weight };
    }

    public static ModelPrices Prices(decimal input, decimal output) => new() { Input = input, Output = output };

    /// <summary>Sends <paramref name="times"/> requests through the deployment's breaker, each answered 503.</summary>
    public static async Task FailAsync(CircuitBreakers breakers, Route deployment, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await breakers.ExecuteAsync(deployment, _ => ValueTask.FromResult(503), static s => s >= 500, CancellationToken.None);
        }
    }
}
