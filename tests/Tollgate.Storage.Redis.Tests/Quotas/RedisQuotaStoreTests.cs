using Tollgate.Storage.Quotas;

namespace Tollgate.Storage.Redis.Tests.Quotas;

public sealed class RedisQuotaStoreTests
{
    private const long MinuteEnd = 638_990_000_000_000_000;
    private const long DayEnd = 638_990_400_000_000_000;

    [Fact]
    public async Task TryAddAsync_ConcurrentFromTwoInstances_CountExactlyTheLimit()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Quotas;
        var b = (await redis.InstanceAsync()).Quotas;

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            (i % 2 == 0 ? a : b).TryAddAsync("p", [new QuotaWindow("rpm", MinuteEnd, 1, 30, false)]).AsTask()));

        Assert.Equal(30, results.Count(r => r.Allowed));
        Assert.All(results.Where(r => !r.Allowed), r => Assert.Equal(0, r.Refused));
        Assert.Equal(30, results.Where(r => r.Allowed).Max(r => r.Counts[0]));
    }

    [Fact]
    public async Task TryAddAsync_OneWindowFull_AddsToNone_AndNamesTheFullOne()
    {
        await using var redis = new TestRedis();
        var q = (await redis.InstanceAsync()).Quotas;
        QuotaWindow[] Request(long tokens) => [new("rpd", DayEnd, 1, 100, false), new("tpm", MinuteEnd, tokens, 1_000, true)];

        // An empty token window takes a request of any size; after that the limit holds.
        var first = await q.TryAddAsync("p", Request(5_000));
        Assert.True(first.Allowed);
        Assert.Equal([1L, 5_000L], first.Counts);

        var refused = await q.TryAddAsync("p", Request(10));
        Assert.False(refused.Allowed);
        Assert.Equal(1, refused.Refused);
        Assert.Equal([1L, 5_000L], refused.Counts);

        // A correction brings the tokens down (never below zero); a window that does not exist is left alone.
        await q.AddAsync("p", [new QuotaWindow("tpm", MinuteEnd, -4_500, 1_000, true), new QuotaWindow("tpm", MinuteEnd + 1, 7, 1_000, true)]);
        var after = await q.TryAddAsync("p", Request(400));
        Assert.True(after.Allowed);
        Assert.Equal([2L, 900L], after.Counts);
        await q.AddAsync("p", [new QuotaWindow("tpm", MinuteEnd, -5_000, 1_000, true)]);
        Assert.Equal([3L, 0L], (await q.TryAddAsync("p", Request(0))).Counts);
        Assert.Equal(0, (await q.TryAddAsync("p", [new QuotaWindow("tpm", MinuteEnd + 1, 0, 1_000, true)])).Counts[0]);
    }
}
