using System.Diagnostics;
using Tollgate.Storage.Limits;

namespace Tollgate.Storage.Redis.Tests.Limits;

public sealed class RedisLimitStoreTests
{
    private const long Window = 638_990_000_000_000_000;
    private static readonly DateTimeOffset s_month = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryTakeAsync_ConcurrentRequestsFromTwoInstances_PassExactlyTheLimit()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Limits;
        var b = (await redis.InstanceAsync()).Limits;

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? a : b).TryTakeAsync(Takes.Requests("rpm:k", Window, 1, 60)).AsTask()));

        Assert.Equal(60, results.Count(r => r.Taken));
        Assert.All(results.Where(r => !r.Taken), r => Assert.Equal(LimitParts.Requests, r.Refused));
        Assert.Equal(60, (await a.TryTakeAsync(Takes.Requests("rpm:k", Window, 0, 60))).RequestsCount);
    }

    [Fact]
    public async Task TryTakeAsync_NextWindow_StartsFromZero_AndCorrectionsStayInTheirWindow()
    {
        await using var redis = new TestRedis();
        var c = (await redis.InstanceAsync()).Limits;
        var first = await c.TakeAsync(Takes.Tokens("tpm:k", Window, 900, 1000));
        Assert.True(first.Outcome.Taken);
        Assert.False((await c.TryTakeAsync(Takes.Tokens("tpm:k", Window, 200, 1000))).Taken);

        var next = await c.TakeAsync(Takes.Tokens("tpm:k", Window + 1, 200, 1000));
        Assert.True(next.Outcome.Taken);
        await c.GiveBackAsync(first.Take, first.Outcome, -100, 0m);
        await c.GiveBackAsync(next.Take, next.Outcome, -500, 0m);

        Assert.Equal(800, (await c.TryTakeAsync(Takes.Tokens("tpm:k", Window, 0, 1000))).TokensCount);
        Assert.Equal(0, (await c.TryTakeAsync(Takes.Tokens("tpm:k", Window + 1, 0, 1000))).TokensCount);
    }

    [Fact]
    public async Task TryTakeAsync_ConcurrentSlotsFromTwoInstances_HoldsAtMostTheLimit_AndGiveBackFreesOne()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Limits;
        var b = (await redis.InstanceAsync()).Limits;

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).TakeAsync(Takes.Parallel("par:k", 5))));
        Assert.Equal(5, results.Count(r => r.Outcome.Taken));
        Assert.False((await b.TryTakeAsync(Takes.Parallel("par:k", 5))).Taken);

        var held = Array.FindIndex(results, r => r.Outcome.Taken);
        await (held % 2 == 0 ? a : b).GiveBackAsync(results[held].Take, results[held].Outcome, 0, 0m);

        var again = await b.TryTakeAsync(Takes.Parallel("par:k", 5));
        Assert.True(again.Taken);
        Assert.Equal(5, again.ParallelCount);
    }

    [Fact]
    public async Task TryTakeAsync_EveryLimitOfAKey_AllOrNothing_ExactAcrossInstances()
    {
        await using var redis = new TestRedis();
        var a = await redis.InstanceAsync();
        var b = await redis.InstanceAsync();
        await a.Budgets.ReconcileAsync("k", "month", s_month, 0m);

        // 60 RPM, 100 in flight, 100,000 TPM at 1,500 each (66 fit), and $0.50 at $0.01 each (50 fit): the budget decides.
        var take = new LimitTake
        {
            Parallel = new GaugeTake("par:k", 100),
            Requests = new WindowTake("rpm:k", Window, 1, 60),
            Tokens = new WindowTake("tpm:k", Window, 1_500, 100_000),
            Budget = new BudgetTake("k", "month", s_month, 0.5m, 0.01m),
        };
        var admitted = 0;
        await Parallel.ForAsync(0, 100, async (i, _) =>
        {
            var store = (i % 2 == 0 ? a : b).Limits;
            var o = await store.TryTakeAsync(take);
            if (o.Taken)
            {
                Interlocked.Increment(ref admitted);
                await store.GiveBackAsync(take, o, -500, 0.01m);
            }
            else
            {
                Assert.NotEqual(LimitParts.None, o.Refused);
            }
        });

        // A request refused by one limit took nothing of the others: 50 requests, 50 x 1,000 tokens, no slot held.
        var after = await a.Limits.TryTakeAsync(take with { Requests = new WindowTake("rpm:k", Window, 0, 60), Tokens = new WindowTake("tpm:k", Window, 0, 100_000), Budget = null });
        Assert.Equal(50, admitted);
        Assert.Equal(50, after.RequestsCount);
        Assert.Equal(50_000, after.TokensCount);
        Assert.Equal(1, after.ParallelCount);
        Assert.Equal(new Tollgate.Storage.Budgets.BudgetTotals(0.5m, 0m), a.Budgets.Get("k", "month", s_month));
    }

    [Fact]
    public async Task TryTakeAsync_Refused_ChecksEveryPart_AndSaysHowEachStood()
    {
        await using var redis = new TestRedis();
        var s = await redis.InstanceAsync();
        await s.Budgets.ReconcileAsync("k", "month", s_month, 0.95m);
        Assert.True((await s.Limits.TryTakeAsync(Takes.Tokens("tpm:k", Window, 900, 1_000))).Taken);

        var refused = await s.Limits.TryTakeAsync(new LimitTake
        {
            Requests = new WindowTake("rpm:k", Window, 1, 60),
            Tokens = new WindowTake("tpm:k", Window, 200, 1_000),
            Budget = new BudgetTake("k", "month", s_month, 1m, 0.1m),
        });

        Assert.False(refused.Taken);
        Assert.Equal(LimitParts.Tokens | LimitParts.Budget, refused.Refused);
        Assert.Equal(LimitParts.Requests | LimitParts.Tokens | LimitParts.Budget, refused.Checked);
        Assert.Equal(0, refused.RequestsCount);
        Assert.Equal(900, refused.TokensCount);
        Assert.Equal(0.95m, refused.BudgetSpent);
    }

    [Fact]
    public async Task TryTakeAsync_CrashedInstance_ItsSlotsAreFreeOnceTheLeaseEnds()
    {
        await using var redis = new TestRedis();
        var crashed = await redis.InstanceAsync();
        var survivor = (await redis.InstanceAsync()).Limits;
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await crashed.Limits.TryTakeAsync(Takes.Parallel("par:k", 3))).Taken);
        }

        // The instance dies without giving anything back (nor renewing).
        await crashed.DisposeAsync();
        redis.Time.Advance(TestRedis.Lease - TimeSpan.FromMilliseconds(1));
        Assert.False((await survivor.TryTakeAsync(Takes.Parallel("par:k", 3))).Taken);

        redis.Time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, (await survivor.TryTakeAsync(Takes.Parallel("par:k", 3))).ParallelCount);
    }

    [Fact]
    public async Task TryTakeAsync_LiveInstance_RenewsItsSlotsPastTheLease()
    {
        await using var redis = new TestRedis();
        var live = await redis.InstanceAsync();
        var other = (await redis.InstanceAsync()).Limits;
        var held = await live.Limits.TakeAsync(Takes.Parallel("par:k", 1));
        Assert.True(held.Outcome.Taken);

        for (var i = 0; i < 5; i++)
        {
            redis.Time.Advance(TestRedis.Lease / 2);
            await live.RenewLeasesAsync();
        }

        Assert.False((await other.TryTakeAsync(Takes.Parallel("par:k", 1))).Taken);
        await live.Limits.GiveBackAsync(held.Take, held.Outcome, 0, 0m);
        Assert.Equal(0, live.LeasesHeld);
        Assert.True((await other.TryTakeAsync(Takes.Parallel("par:k", 1))).Taken);
    }

    [Fact]
    public async Task Scripts_AfterScriptFlush_AreSentAgain()
    {
        await using var redis = new TestRedis();
        var state = await redis.InstanceAsync();
        Assert.True((await state.Limits.TryTakeAsync(Takes.Requests("rpm:k", Window, 1, 2))).Taken);

        await using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(TestRedis.Url)))
        {
            await admin.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        }

        Assert.Equal(2, (await state.Limits.TryTakeAsync(Takes.Requests("rpm:k", Window, 1, 2))).RequestsCount);
    }

    [Fact]
    public async Task TryTakeAsync_RedisUnreachable_ThrowsSharedStateUnavailable()
    {
        // Port 1 on loopback: nothing listens there.
        await using var state = await RedisSharedState.ConnectAsync("redis://127.0.0.1:1", TimeProvider.System);

        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => state.Limits.TryTakeAsync(Takes.Requests("rpm:k", Window, 1, 10)).AsTask());
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => state.Limits.TryTakeAsync(Takes.Budget("k", "month", DateTimeOffset.UnixEpoch, 1m, 0.1m)).AsTask());
        Assert.Equal(0, state.LeasesHeld);
    }

    [Fact]
    public async Task RoundTrip_OneTakeOfEveryLimit_IsMeasured()
    {
        await using var redis = new TestRedis();
        var state = await redis.InstanceAsync();
        var limits = state.Limits;
        await state.Budgets.ReconcileAsync("k", "month", s_month, 0m);
        var take = new LimitTake
        {
            Parallel = new GaugeTake("par:k", 1_000),
            Requests = new WindowTake("rpm:k", Window, 1, long.MaxValue / 2),
            Tokens = new WindowTake("tpm:k", Window, 1_500, long.MaxValue / 2),
            Budget = new BudgetTake("k", "month", s_month, 1_000_000m, 0.001m),
        };
        for (var i = 0; i < 200; i++)
        {
            await limits.GiveBackAsync(take, await limits.TryTakeAsync(take), -500, 0.0005m);
        }

        var takes = new double[2000];
        var gives = new double[2000];
        for (var i = 0; i < takes.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var o = await limits.TryTakeAsync(take);
            takes[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            Assert.True(o.Taken);
            t = Stopwatch.GetTimestamp();
            await limits.GiveBackAsync(take, o, -500, 0.0005m);
            gives[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        Array.Sort(takes);
        Array.Sort(gives);
        Assert.Equal(2200, (await limits.TryTakeAsync(take with { Parallel = null, Tokens = null, Budget = null, Requests = new WindowTake("rpm:k", Window, 0, long.MaxValue / 2) })).RequestsCount);
        Assert.Equal(1.1m, state.Budgets.Get("k", "month", s_month).Spent);
        Console.WriteLine($"limits.lua over loopback, one take of a slot, RPM, TPM and a budget: p50 {takes[1000]:F0} us, p99 {takes[1980]:F0} us; its give-back p50 {gives[1000]:F0} us, p99 {gives[1980]:F0} us");
    }
}
