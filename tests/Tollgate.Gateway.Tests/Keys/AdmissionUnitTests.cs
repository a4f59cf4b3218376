using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Counters;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class AdmissionUnitTests
{
    [Theory]
    [InlineData("groq/*", "groq/llama-3.1-8b-instant", true)]
    [InlineData("groq/*", "openai/gpt-4o", false)]
    [InlineData("openai/gpt-4o*", "openai/gpt-4o-mini", true)]
    [InlineData("openai/gpt-4o", "openai/gpt-4o-mini", false)]
    [InlineData("*/gpt-?o", "openai/gpt-4o", true)]
    [InlineData("GROQ/*", "groq/x", true)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    public void IsMatch_Glob_MatchesAsExpected(string glob, string model, bool expected)
    {
        Assert.Equal(expected, ModelGlob.IsMatch(glob, model));
    }

    [Theory]
    [InlineData("day", "2026-11-24T13:45:00Z", "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z")]
    [InlineData("week", "2026-11-24T13:45:00Z", "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("week", "2026-11-29T23:59:59Z", "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("week", "2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z")]
    [InlineData("month", "2026-12-31T23:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    public void Period_Retention_IsTheUtcCalendarPeriod(string retention, string now, string start, string end)
    {
        var t = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), BudgetPeriod.Start(retention, t));
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), BudgetPeriod.End(retention, t));
    }

    [Fact]
    public void Period_NoReset_NeverEnds()
    {
        Assert.Null(BudgetPeriod.End("no_reset", DateTimeOffset.UnixEpoch));
        Assert.Equal(DateTimeOffset.MinValue, BudgetPeriod.Start("no_reset", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task TryAdd_1000ConcurrentAddsAtLimit600_ExactlySixHundredPass()
    {
        var store = new InMemoryCounterStore();
        var passed = 0;

        await Parallel.ForAsync(0, 1000, async (_, _) =>
        {
            if ((await store.TryAddAsync("k", 100, 1, 600)).Allowed)
            {
                Interlocked.Increment(ref passed);
            }
        });

        Assert.Equal(600, passed);
        Assert.False((await store.TryAddAsync("k", 100, 1, 600)).Allowed);
        Assert.True((await store.TryAddAsync("k", 200, 1, 600)).Allowed);
    }

    [Fact]
    public async Task AddAsync_OldWindow_DoesNotTouchTheNewOne()
    {
        var store = new InMemoryCounterStore();
        await store.TryAddAsync("k", 100, 5, 10);
        await store.TryAddAsync("k", 200, 5, 10);

        await store.AddAsync("k", 100, 5);

        Assert.Equal(5, (await store.TryAddAsync("k", 200, 0, 10)).Count);
    }

    [Fact]
    public void TryReserve_ConcurrentReservations_NeverExceedThreshold()
    {
        var budgets = new BudgetTracker();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var admitted = 0;

        // $1 covers exactly 100 reservations of $0.01.
        Parallel.For(0, 1000, i =>
        {
            if (budgets.TryReserve("k", "month", start, 1m, 0.01m, out var r, out _))
            {
                Interlocked.Increment(ref admitted);
                budgets.Settle(r, 0.01m);
            }
        });

        Assert.Equal(100, admitted);
        Assert.Equal(1m, budgets.Get("k", "month", start).Spent);
        Assert.Equal(0m, budgets.Get("k", "month", start).Reserved);
    }

    [Fact]
    public void Settle_AfterPeriodTurned_DoesNotTouchTheNewPeriod()
    {
        var budgets = new BudgetTracker();
        var day1 = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        Assert.True(budgets.TryReserve("k", "day", day1, 1m, 0.5m, out var old, out _));
        Assert.True(budgets.TryReserve("k", "day", day1.AddDays(1), 1m, 0.25m, out _, out _));

        budgets.Settle(old, 0.4m);

        Assert.Equal(new BudgetSnapshot(0m, 0.25m), budgets.Get("k", "day", day1.AddDays(1)));
    }

    [Fact]
    public void Seed_RetentionChangedWithRequestInFlight_KeepsReservationAndSettlesIt()
    {
        var budgets = new BudgetTracker();
        var day = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var month = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(budgets.TryReserve("k", "day", day, 1m, 0.5m, out var inFlight, out _));

        // The key moves from a daily to a monthly budget; the ledger says $0.3 was spent this month.
        budgets.Seed("k", "month", month, 0.3m);
        var beforeSettle = budgets.Get("k", "month", month);
        budgets.Settle(inFlight, 0.2m);

        Assert.Equal(new BudgetSnapshot(0.3m, 0.5m), beforeSettle);
        Assert.Equal(new BudgetSnapshot(0.5m, 0m), budgets.Get("k", "month", month));
    }

    [Fact]
    public void TryReserve_StaleRetentionAfterSeed_DoesNotResetSpend()
    {
        var budgets = new BudgetTracker();
        var month = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        budgets.Seed("k", "month", month, 0.9m);

        // A request still holding the old daily settings: the day started after the month, but the spend stays.
        var admitted = budgets.TryReserve("k", "day", month.AddDays(23), 1m, 0.2m, out _, out var snapshot);

        Assert.False(admitted);
        Assert.Equal(0.9m, snapshot.Spent);
    }

    [Fact]
    public void WorstCase_PriorityTier_ReservesAtThePriorityRates()
    {
        // gpt-5-mini: standard $0.25 in / $2.00 out, priority $0.45 / $3.60 per 1M tokens. A prompt counted at 1,000
        // tokens is reserved as 1,000 + 1,000/4 + 16 = 1,266.
        var model = Tollgate.Core.Catalog.ModelCatalog.BuiltIn.Find("openai", "gpt-5-mini")!;
        Assert.Equal(0.0023165m, AdmissionControl.WorstCase(model, 1000, 1000));                                          // 1,266 x 0.25 + 1,000 x 2.00
        Assert.Equal(0.0041697m, AdmissionControl.WorstCase(model, 1000, 1000, Tollgate.Core.Pricing.ServiceTier.Priority)); // 1,266 x 0.45 + 1,000 x 3.60

        // A cheaper tier asked for never lowers the bound: the deployment may price the request at standard.
        Assert.Equal(0.0023165m, AdmissionControl.WorstCase(model, 1000, 1000, Tollgate.Core.Pricing.ServiceTier.Flex));
    }

    [Fact]
    public async Task SeedAsync_RequestSettledWhileTheLedgerWasSummed_IsNotOverwritten()
    {
        var budgets = new BudgetTracker();
        var day = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        Assert.True(budgets.TryReserve("k", "day", day, 1m, 0.5m, out var inFlight, out _));

        // The seed reads the settle count, then sums the ledger; a request settles in between.
        var seen = budgets.Settles("k");
        budgets.Settle(inFlight, 0.2m);

        Assert.False(await budgets.SeedAsync("k", "day", day, 0m, seen));
        Assert.Equal(0.2m, budgets.Get("k", "day", day).Spent);
        Assert.True(await budgets.SeedAsync("k", "day", day, 0.2m, budgets.Settles("k")));
    }
}
