using System.Diagnostics;

namespace Tollgate.Storage.Redis.Tests.Counters;

public sealed class RedisCounterStoreTests
{
    private const long Window = 638_990_000_000_000_000;

    [Fact]
    public async Task TryAddAsync_ConcurrentAddsFromTwoInstances_PassExactlyTheLimit()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Counters;
        var b = (await redis.InstanceAsync()).Counters;

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? a : b).TryAddAsync("rpm:k", Window, 1, 60).AsTask()));

        Assert.Equal(60, results.Count(r => r.Allowed));
        Assert.Equal(60, (await a.TryAddAsync("rpm:k", Window, 0, 60)).Count);
    }

    [Fact]
    public async Task TryAddAsync_NextWindow_StartsFromZero_AndCorrectionsStayInTheirWindow()
    {
        await using var redis = new TestRedis();
        var c = (await redis.InstanceAsync()).Counters;
        Assert.True((await c.TryAddAsync("tpm:k", Window, 900, 1000)).Allowed);
        Assert.False((await c.TryAddAsync("tpm:k", Window, 200, 1000)).Allowed);

        Assert.True((await c.TryAddAsync("tpm:k", Window + 1, 200, 1000)).Allowed);
        await c.AddAsync("tpm:k", Window, -100);
        await c.AddAsync("tpm:k", Window + 1, -500);
        await c.AddAsync("tpm:k", Window + 2, 5);

        Assert.Equal(800, (await c.TryAddAsync("tpm:k", Window, 0, 1000)).Count);
        Assert.Equal(0, (await c.TryAddAsync("tpm:k", Window + 1, 0, 1000)).Count);
        Assert.Equal(0, (await c.TryAddAsync("tpm:k", Window + 2, 0, 1000)).Count);
    }

    [Fact]
    public async Task TryAcquireAsync_ConcurrentFromTwoInstances_HoldsAtMostTheLimit_AndReleaseFreesASlot()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Counters;
        var b = (await redis.InstanceAsync()).Counters;

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).TryAcquireAsync("par:k", 5).AsTask()));
        Assert.Equal(5, results.Count(r => r > 0));
        var heldByA = results.Where((r, i) => r > 0 && i % 2 == 0).Count();
        Assert.Equal(-1, await b.TryAcquireAsync("par:k", 5));

        await (heldByA > 0 ? a : b).ReleaseAsync("par:k");

        Assert.Equal(5, await b.TryAcquireAsync("par:k", 5));
    }

    [Fact]
    public async Task TryAcquireAsync_CrashedInstance_ItsSlotsAreFreeOnceTheLeaseEnds()
    {
        await using var redis = new TestRedis();
        var crashed = await redis.InstanceAsync();
        var survivor = (await redis.InstanceAsync()).Counters;
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await crashed.Counters.TryAcquireAsync("par:k", 3) > 0);
        }

        // The instance dies without releasing anything (nor renewing).
        await crashed.DisposeAsync();
        redis.Time.Advance(TestRedis.Lease - TimeSpan.FromMilliseconds(1));
        Assert.Equal(-1, await survivor.TryAcquireAsync("par:k", 3));

        redis.Time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, await survivor.TryAcquireAsync("par:k", 3));
    }

    [Fact]
    public async Task TryAcquireAsync_LiveInstance_RenewsItsSlotsPastTheLease()
    {
        await using var redis = new TestRedis();
        var live = await redis.InstanceAsync();
        var other = (await redis.InstanceAsync()).Counters;
        Assert.True(await live.Counters.TryAcquireAsync("par:k", 1) > 0);

        for (var i = 0; i < 5; i++)
        {
            redis.Time.Advance(TestRedis.Lease / 2);
            await live.RenewLeasesAsync();
        }

        Assert.Equal(-1, await other.TryAcquireAsync("par:k", 1));
        await live.Counters.ReleaseAsync("par:k");
        Assert.Equal(0, live.LeasesHeld);
        Assert.Equal(1, await other.TryAcquireAsync("par:k", 1));
    }

    [Fact]
    public async Task Scripts_AfterScriptFlush_AreSentAgain()
    {
        await using var redis = new TestRedis();
        var state = await redis.InstanceAsync();
        Assert.True((await state.Counters.TryAddAsync("rpm:k", Window, 1, 2)).Allowed);

        await using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(TestRedis.Url)))
        {
            await admin.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        }

        Assert.Equal(2, (await state.Counters.TryAddAsync("rpm:k", Window, 1, 2)).Count);
    }

    [Fact]
    public async Task TryAddAsync_RedisUnreachable_ThrowsSharedStateUnavailable()
    {
        // Port 1 on loopback: nothing listens there.
        await using var state = await RedisSharedState.ConnectAsync("redis://127.0.0.1:1", TimeProvider.System);

        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => state.Counters.TryAddAsync("rpm:k", Window, 1, 10).AsTask());
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => state.Budgets.TryReserveAsync("k", "month", DateTimeOffset.UnixEpoch, 1m, 0.1m).AsTask());
    }

    [Fact]
    public async Task RoundTrip_OneScriptCall_IsMeasured()
    {
        await using var redis = new TestRedis();
        var state = await redis.InstanceAsync();
        var c = state.Counters;
        var samples = new double[2000];
        for (var i = 0; i < 200; i++)
        {
            await c.TryAddAsync("rpm:warm", Window, 1, long.MaxValue);
        }

        for (var i = 0; i < samples.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await c.TryAddAsync("rpm:k", Window, 1, long.MaxValue);
            samples[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        await state.Budgets.ReconcileAsync("k", "month", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 0m);
        var reserveSamples = new double[2000];
        var settleSamples = new double[2000];
        for (var i = 0; i < reserveSamples.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var d = await state.Budgets.TryReserveAsync("k", "month", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 1_000_000m, 0.001m);
            reserveSamples[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            t = Stopwatch.GetTimestamp();
            await state.Budgets.SettleAsync(d.Hold, 0.0005m);
            settleSamples[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        Array.Sort(samples);
        Array.Sort(reserveSamples);
        Array.Sort(settleSamples);
        Assert.Equal(2000, (await c.TryAddAsync("rpm:k", Window, 0, long.MaxValue)).Count);
        Console.WriteLine($"window.lua round trip over loopback: p50 {samples[1000]:F0} us, p99 {samples[1980]:F0} us; budget.lua reserve p50 {reserveSamples[1000]:F0} us, p99 {reserveSamples[1980]:F0} us; settle p50 {settleSamples[1000]:F0} us, p99 {settleSamples[1980]:F0} us");
    }
}
