using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tollgate.Storage.Budgets;
using Tollgate.Storage.Redis.Budgets;
using Tollgate.Storage.Redis.Leases;

namespace Tollgate.Storage.Redis.Tests.Budgets;

public sealed class RedisBudgetStoreTests
{
    private static readonly DateTimeOffset s_month = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryReserveAsync_NoStateYet_IsUnknownUntilReconciledFromTheLedger()
    {
        await using var redis = new TestRedis();
        var s = (await redis.InstanceAsync()).Budgets;

        // As after a Redis restart: nothing is known, so nothing is reserved on an assumed zero.
        var unknown = await s.TryReserveAsync("k", "month", s_month, 1m, 0.2m);
        await s.ReconcileAsync("k", "month", s_month, 0.9m);
        var refused = await s.TryReserveAsync("k", "month", s_month, 1m, 0.2m);

        Assert.True(unknown.Unknown);
        Assert.False(unknown.Reserved);
        Assert.False(refused.Unknown);
        Assert.False(refused.Reserved);
        Assert.Equal(new BudgetTotals(0.9m, 0m), refused.Totals);
    }

    [Fact]
    public async Task TryReserveAsync_ConcurrentFromTwoInstances_NeverPassTheThreshold()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Budgets;
        var b = (await redis.InstanceAsync()).Budgets;
        await a.ReconcileAsync("k", "month", s_month, 0m);

        // $1 covers exactly 100 reservations of $0.01.
        var admitted = 0;
        await Parallel.ForAsync(0, 1000, async (i, _) =>
        {
            var store = i % 2 == 0 ? a : b;
            var d = await store.TryReserveAsync("k", "month", s_month, 1m, 0.01m);
            if (d.Reserved)
            {
                Interlocked.Increment(ref admitted);
                await store.SettleAsync(d.Hold, 0.01m);
            }
        });

        Assert.Equal(100, admitted);
        Assert.Equal(new BudgetTotals(1m, 0m), a.Get("k", "month", s_month));
    }

    [Fact]
    public async Task TryReserveAsync_Refused_ReportsTheTotalsItDecidedOn()
    {
        await using var redis = new TestRedis();
        var s = (await redis.InstanceAsync()).Budgets;
        await s.ReconcileAsync("k", "month", s_month, 0m);
        var first = await s.TryReserveAsync("k", "month", s_month, 1m, 0.4m);
        await s.SettleAsync(first.Hold, 0.123456789m);
        Assert.True((await s.TryReserveAsync("k", "month", s_month, 1m, 0.5m)).Reserved);

        var refused = await s.TryReserveAsync("k", "month", s_month, 1m, 0.4m);

        Assert.False(refused.Reserved);
        Assert.Equal(new BudgetTotals(0.123456789m, 0.5m), refused.Totals);
    }

    [Fact]
    public async Task Amounts_RoundToWholeNanoDollars_TowardsTheStricterSide()
    {
        await using var redis = new TestRedis();
        var s = (await redis.InstanceAsync()).Budgets;

        // A threshold of 1.9 nano-dollars is 1; a reservation of 0.1 nano-dollars takes 1.
        await s.ReconcileAsync("k", "no_reset", DateTimeOffset.MinValue, 0m);
        var d = await s.TryReserveAsync("k", "no_reset", DateTimeOffset.MinValue, 0.0000000019m, 0.0000000001m);
        Assert.True(d.Reserved);
        Assert.False((await s.TryReserveAsync("k", "no_reset", DateTimeOffset.MinValue, 0.0000000019m, 0.0000000001m)).Reserved);
        await s.SettleAsync(d.Hold, 0.00000000001m);

        Assert.Equal(new BudgetTotals(0.000000001m, 0m), s.Get("k", "no_reset", DateTimeOffset.MinValue));
    }

    [Fact]
    public async Task SettleAsync_AfterThePeriodTurned_LeavesTheNewPeriodAlone()
    {
        await using var redis = new TestRedis();
        var s = (await redis.InstanceAsync()).Budgets;
        await s.ReconcileAsync("k", "day", s_day, 0m);
        var old = await s.TryReserveAsync("k", "day", s_day, 1m, 0.5m);
        Assert.True((await s.TryReserveAsync("k", "day", s_day.AddDays(1), 1m, 0.25m)).Reserved);

        await s.SettleAsync(old.Hold, 0.4m);

        Assert.Equal(new BudgetTotals(0m, 0.25m), s.Get("k", "day", s_day.AddDays(1)));
    }

    [Fact]
    public async Task ReconcileAsync_RetentionChangedWithRequestInFlight_TakesTheLedgerAndKeepsTheReservation()
    {
        await using var redis = new TestRedis();
        var s = (await redis.InstanceAsync()).Budgets;
        await s.ReconcileAsync("k", "day", s_day, 0m);
        var inFlight = await s.TryReserveAsync("k", "day", s_day, 1m, 0.5m);

        await s.ReconcileAsync("k", "month", s_month, 0.3m);
        var before = s.Get("k", "month", s_month);
        await s.SettleAsync(inFlight.Hold, 0.2m);

        Assert.Equal(new BudgetTotals(0.3m, 0.5m), before);
        Assert.Equal(new BudgetTotals(0.5m, 0m), s.Get("k", "month", s_month));
    }

    [Fact]
    public async Task ReconcileAsync_SamePeriod_RaisesToTheLedgerButNeverLowers()
    {
        await using var redis = new TestRedis();
        var s = (await redis.InstanceAsync()).Budgets;
        await s.ReconcileAsync("k", "month", s_month, 0.2m);
        var d = await s.TryReserveAsync("k", "month", s_month, 1m, 0.1m);
        await s.SettleAsync(d.Hold, 0.1m);

        // The ledger has not stored the last entry yet: Redis stays ahead.
        await s.ReconcileAsync("k", "month", s_month, 0.2m);
        var ahead = s.Get("k", "month", s_month);

        // Redis lost a settle (its instance crashed before counting it): the ledger brings it up.
        await s.ReconcileAsync("k", "month", s_month, 0.7m);

        Assert.Equal(0.3m, ahead.Spent);
        Assert.Equal(0.7m, s.Get("k", "month", s_month).Spent);
    }

    [Fact]
    public async Task TryReserveAsync_CrashedInstance_ItsReservationsAreFreeOnceTheLeaseEnds()
    {
        await using var redis = new TestRedis();
        var crashed = await redis.InstanceAsync();
        var survivor = (await redis.InstanceAsync()).Budgets;
        await survivor.ReconcileAsync("k", "month", s_month, 0m);
        Assert.True((await crashed.Budgets.TryReserveAsync("k", "month", s_month, 1m, 0.9m)).Reserved);
        await crashed.DisposeAsync();

        redis.Time.Advance(TestRedis.Lease - TimeSpan.FromMilliseconds(1));
        Assert.False((await survivor.TryReserveAsync("k", "month", s_month, 1m, 0.5m)).Reserved);

        redis.Time.Advance(TimeSpan.FromMilliseconds(2));
        var after = await survivor.TryReserveAsync("k", "month", s_month, 1m, 0.5m);
        Assert.True(after.Reserved);
        Assert.Equal(new BudgetTotals(0m, 0m), after.Totals);
    }

    [Fact]
    public async Task SettleAsync_AfterTheLeaseRanOut_StillCountsTheCost()
    {
        await using var redis = new TestRedis();
        var other = (await redis.InstanceAsync()).Budgets;
        await other.ReconcileAsync("k", "month", s_month, 0m);

        // An instance whose clock stands still renews nothing: as if Redis had been away for its renewals.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(TestRedis.Url));
        using var stalled = new LeaseKeeper(() => connection.GetDatabase(), new FakeTimeProvider(redis.Time.GetUtcNow()), TestRedis.Lease);
        var slow = new RedisBudgetStore(() => connection.GetDatabase(), new RedisKeys(redis.Prefix), stalled);
        var d = await slow.TryReserveAsync("k", "month", s_month, 1m, 0.5m);

        redis.Time.Advance(TestRedis.Lease * 2);
        Assert.Equal(new BudgetTotals(0m, 0m), other.Get("k", "month", s_month));
        await slow.SettleAsync(d.Hold, 0.4m);

        Assert.Equal(new BudgetTotals(0.4m, 0m), other.Get("k", "month", s_month));
    }
}
