using Tollgate.Core.Usage;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Tests.Routing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Settlement;

/// <summary>The ledger entry a request's record turns into: its attempts and, on a free tier, its list cost.</summary>
public sealed class RequestRecordTests
{
    private static readonly TokenUsage s_usage = new() { InputTokens = 1000, OutputTokens = 500 };

    [Fact]
    public void ToEntry_FreeTierAfterFailedAttempt_CostZeroListCostAtCatalogPriceEveryAttemptInOrder()
    {
        var record = Record(Deployments.Make("groq-free", "llama", free: true, prices: Deployments.Prices(1m, 2m)));
        record.Attempts.Add(new AttemptRecord("openai", "gpt-4o-mini", 429, "status", 3.5));
        record.Attempts.Add(new AttemptRecord("groq-free", "llama", 200, null, 12.25));

        var entry = record.ToEntry(200, null, s_usage, estimated: false, latencyMs: 20);

        Assert.Equal((0m, (decimal?)0.002m), (entry.Cost, entry.ListCost));
        Assert.Equal(
            [new LedgerAttempt("openai", "gpt-4o-mini", 429, "status", 3.5), new LedgerAttempt("groq-free", "llama", 200, null, 12.25)],
            entry.Attempts);
    }

    [Fact]
    public void ToEntry_PaidDeploymentSingleAttempt_NoListCostAndTheOneAttempt()
    {
        var record = Record(Deployments.Make("openai", "gpt-4o-mini", prices: Deployments.Prices(1m, 2m)));
        record.Attempts.Add(new AttemptRecord("openai", "gpt-4o-mini", 200, null, 7));

        var entry = record.ToEntry(200, null, s_usage, estimated: false, latencyMs: 8);

        Assert.Equal(0.002m, entry.Cost);
        Assert.Null(entry.ListCost);
        Assert.Equal([new LedgerAttempt("openai", "gpt-4o-mini", 200, null, 7)], entry.Attempts);
    }

    [Fact]
    public void ToEntry_FreeTierWithoutUsage_NoListCostAndNoAttempts()
    {
        var record = Record(Deployments.Make("groq-free", "llama", free: true, prices: Deployments.Prices(1m, 2m)));

        var entry = record.ToEntry(401, "authentication_error", null, estimated: false, latencyMs: 1);

        Assert.Null(entry.Cost);
        Assert.Null(entry.ListCost);
        Assert.Empty(entry.Attempts);
    }

    [Fact]
    public void Price_SameUsageAgain_SamePrice_ThenAnotherRouteOrUsage_PricedAnew()
    {
        var record = Record(Deployments.Make("openai", "gpt-4o-mini", prices: Deployments.Prices(1m, 2m)));

        Assert.Equal(0.002m, record.Price(s_usage));
        Assert.Equal(0.002m, record.Price(s_usage));
        Assert.Equal(0.004m, record.Price(s_usage with { InputTokens = 3000 }));

        record.Route = Deployments.Make("openai", "gpt-4o", prices: Deployments.Prices(10m, 20m));
        Assert.Equal(0.02m, record.Price(s_usage));

        record.Route = Deployments.Make("groq-free", "llama", free: true, prices: Deployments.Prices(1m, 2m));
        Assert.Equal(0m, record.Price(s_usage));
        Assert.Equal(0.002m, record.ListPrice(s_usage));
        Assert.Null(record.Price(null));
    }

    private static RequestRecord Record(Gateway.Routing.Route route) =>
        new("req_test", "chat", 0, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero)) { Route = route };
}
