using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// <c>cost</c>: cheapest first for this request's size (its estimated prompt and its output limit priced by
/// <see cref="CostCalculator"/>, so long-context rates count); deployments without a price last, in configured order.
/// </summary>
internal sealed class CostStrategy : IRoutingStrategy
{
    public void Order(Span<Route> candidates, in RoutingRequest request)
    {
        var usage = Usage(request);
        Span<decimal> cost = candidates.Length <= 16 ? stackalloc decimal[candidates.Length] : new decimal[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            cost[i] = Price(candidates[i], usage);
        }

        StableOrder.By(candidates, cost);
    }

    internal static TokenUsage Usage(in RoutingRequest request) =>
        new() { InputTokens = Math.Max(0, request.EstimatedPromptTokens), OutputTokens = Math.Max(0, request.MaxOutputTokens) };

    /// <summary>The catalog price of the request on <paramref name="route"/>; <see cref="decimal.MaxValue"/> when unpriced.</summary>
    internal static decimal Price(Route route, TokenUsage usage) =>
        route.Model is { } model ? CostCalculator.Calculate(model, usage).Total : decimal.MaxValue;
}
