using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tollgate.Storage.Budgets;
using Tollgate.Storage.Redis.Limits;
using Tollgate.Storage.Redis.Tests.Limits;
using Tollgate.Storage.Redis.Leases;

namespace Tollgate.Storage.Redis.Tests.Budgets;

public sealed class RedisBudgetStoreTests
{
    private static readonly DateTimeOffset s_month = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryTakeAsync_NoStateYet_IsUnknownUntilReconciledFromTheLedger()
    {
        await using var redis = new TestRedis();
        var sState = await redis.InstanceAsync();
        var s = sState.Budgets;
        var sLimits = sState.Limits;

        // As after a Redis restart: nothing is known, so nothing is reserved on an assumed zero.
        var unknown = await sLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.2m));
        await s.ReconcileAsync("k", "month", s_month, 0.9m);
        var refused = await sLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.2m));

        Assert.True(unknown.Outcome.BudgetUnknown);
        Assert.False(unknown.Outcome.Taken);
        Assert.False(refused.Outcome.BudgetUnknown);
        Assert.False(refused.Outcome.Taken);
        Assert.Equal(new BudgetTotals(0.9m, 0m), new BudgetTotals(refused.Outcome.BudgetSpent, refused.Outcome.BudgetReserved));
    }

    [Fact]
    public async Task TryTakeAsync_ConcurrentFromTwoInstances_NeverPassTheThreshold()
    {
        await using var redis = new TestRedis();
        var aState = await redis.InstanceAsync();
        var a = aState.Budgets;
        var aLimits = aState.Limits;
        var bState = await redis.InstanceAsync();
        var b = bState.Budgets;
        var bLimits = bState.Limits;
        await a.ReconcileAsync("k", "month", s_month, 0m);

        // $1 covers exactly 100 reservations of $0.01.
        var admitted = 0;
        await Parallel.ForAsync(0, 1000, async (i, _) =>
        {
            var store = i % 2 == 0 ? aLimits : bLimits;
            var d = await store.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.01m));
            if (d.Outcome.Taken)
            {
                Interlocked.Increment(ref admitted);
                await store.SettleAsync(d, 0.01m);
            }
        });

        Assert.Equal(100, admitted);
        Assert.Equal(new BudgetTotals(1m, 0m), a.Get("k", "month", s_month));
    }

    [Fact]
    public async Task TryTakeAsync_Refused_ReportsTheTotalsItDecidedOn()
    {
        await using var redis = new TestRedis();
        var sState = await redis.InstanceAsync();
        var s = sState.Budgets;
        var sLimits = sState.Limits;
        await s.ReconcileAsync("k", "month", s_month, 0m);
        var first = await sLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.4m));
        await sLimits.SettleAsync(first, 0.123456789m);
        Assert.True((await sLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.5m))).Outcome.Taken);

        var refused = await sLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.4m));

        Assert.False(refused.Outcome.Taken);
        Assert.Equal(new BudgetTotals(0.123456789m, 0.5m), new BudgetTotals(refused.Outcome.BudgetSpent, refused.Outcome.BudgetReserved));
    }

    [Fact]
    public async Task Amounts_RoundToWholeNanoDollars_TowardsTheStricterSide()
    {
        await using var redis = new TestRedis();
        var sState = await redis.InstanceAsync();
        var s = sState.Budgets;
        var sLimits = sState.Limits;

        // A threshold of 1.9 nano-dollars is 1; a reservation of 0.1 nano-dollars takes 1.
        await s.ReconcileAsync("k", "no_reset", DateTimeOffset.MinValue, 0m);
        var d = await sLimits.TakeAsync(Takes.Budget("k", "no_reset", DateTimeOffset.MinValue, 0.0000000019m, 0.0000000001m));
        Assert.True(d.Outcome.Taken);
        Assert.False((await sLimits.TakeAsync(Takes.Budget("k", "no_reset", DateTimeOffset.MinValue, 0.0000000019m, 0.0000000001m))).Outcome.Taken);
        await sLimits.SettleAsync(d, 0.00000000001m);

        Assert.Equal(new BudgetTotals(0.000000001m, 0m), s.Get("k", "no_reset", DateTimeOffset.MinValue));
    }

    [Fact]
    public async Task GiveBackAsync_AfterThePeriodTurned_LeavesTheNewPeriodAlone()
    {
        await using var redis = new TestRedis();
        var sState = await redis.InstanceAsync();
        var s = sState.Budgets;
        var sLimits = sState.Limits;
        await s.ReconcileAsync("k", "day", s_day, 0m);
        var old = await sLimits.TakeAsync(Takes.Budget("k", "day", s_day, 1m, 0.5m));
        Assert.True((await sLimits.TakeAsync(Takes.Budget("k", "day", s_day.AddDays(1), 1m, 0.25m))).Outcome.Taken);

        await sLimits.SettleAsync(old, 0.4m);

        Assert.Equal(new BudgetTotals(0m, 0.25m), s.Get("k", "day", s_day.AddDays(1)));
    }

    [Fact]
    public async Task ReconcileAsync_RetentionChangedWithRequestInFlight_TakesTheLedgerAndKeepsTheReservation()
    {
        await using var redis = new TestRedis();
        var sState = await redis.InstanceAsync();
        var s = sState.Budgets;
        var sLimits = sState.Limits;
        await s.ReconcileAsync("k", "day", s_day, 0m);
        var inFlight = await sLimits.TakeAsync(Takes.Budget("k", "day", s_day, 1m, 0.5m));

        await s.ReconcileAsync("k", "month", s_month, 0.3m);
        var before = s.Get("k", "month", s_month);
        await sLimits.SettleAsync(inFlight, 0.2m);

        Assert.Equal(new BudgetTotals(0.3m, 0.5m), before);
        Assert.Equal(new BudgetTotals(0.5m, 0m), s.Get("k", "month", s_month));
    }

    [Fact]
    public async Task ReconcileAsync_SamePeriod_RaisesToTheLedgerButNeverLowers()
    {
        await using var redis = new TestRedis();
        var sState = await redis.InstanceAsync();
        var s = sState.Budgets;
        var sLimits = sState.Limits;
        await s.ReconcileAsync("k", "month", s_month, 0.2m);
        var d = await sLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.1m));
        await sLimits.SettleAsync(d, 0.1m);

        // The ledger has not stored the last entry yet: Redis stays ahead.
        await s.ReconcileAsync("k", "month", s_month, 0.2m);
        var ahead = s.Get("k", "month", s_month);

        // Redis lost a settle (its instance crashed before counting it): the ledger brings it up.
        await s.ReconcileAsync("k", "month", s_month, 0.7m);

        Assert.Equal(0.3m, ahead.Spent);
        Assert.Equal(0.7m, s.Get("k", "month", s_month).Spent);
    }

    [Fact]
    public async Task TryTakeAsync_CrashedInstance_ItsReservationsAreFreeOnceTheLeaseEnds()
    {
        await using var redis = new TestRedis();
        var crashed = await redis.InstanceAsync();
        var survivorState = await redis.InstanceAsync();
        var survivor = survivorState.Budgets;
        var survivorLimits = survivorState.Limits;
        await survivor.ReconcileAsync("k", "month", s_month, 0m);
        Assert.True((await crashed.Limits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.9m))).Outcome.Taken);
        await crashed.DisposeAsync();

        redis.Time.Advance(TestRedis.Lease - TimeSpan.FromMilliseconds(1));
        Assert.False((await survivorLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.5m))).Outcome.Taken);

        redis.Time.Advance(TimeSpan.FromMilliseconds(2));
        var after = await survivorLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.5m));
        Assert.True(after.Outcome.Taken);
        Assert.Equal(new BudgetTotals(0m, 0m), new BudgetTotals(after.Outcome.BudgetSpent, after.Outcome.BudgetReserved));
    }

    [Fact]
    public async Task GiveBackAsync_AfterTheLeaseRanOut_StillCountsTheCost()
    {
        await using var redis = new TestRedis();
        var otherState = await redis.InstanceAsync();
        var other = otherState.Budgets;
        var otherLimits = otherState.Limits;
        await other.ReconcileAsync("k", "month", s_month, 0m);

        // An instance whose clock stands still renews nothing: as if Redis had been away for its renewals.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(TestRedis.Url));
        using var stalled = new LeaseKeeper(() => connection.GetDatabase(), new FakeTimeProvider(redis.Time.GetUtcNow()), TestRedis.Lease);
        var slowLimits = new RedisLimitStore(() => connection.GetDatabase(), new RedisKeys(redis.Prefix), stalled);
        var d = await slowLimits.TakeAsync(Takes.Budget("k", "month", s_month, 1m, 0.5m));

        redis.Time.Advance(TestRedis.Lease * 2);
        Assert.Equal(new BudgetTotals(0m, 0m), other.Get("k", "month", s_month));
        await slowLimits.SettleAsync(d, 0.4m);

        Assert.Equal(new BudgetTotals(0.4m, 0m), other.Get("k", "month", s_month));
    }
}
