using System.Collections.Concurrent;

namespace Tollgate.Storage.Redis.Tests.Circuits;

public sealed class RedisCircuitStoreTests
{
    [Fact]
    public async Task OpenAsync_OnOneInstance_ReachesTheOthers_AndALaterStartReadsIt()
    {
        await using var redis = new TestRedis();
        var a = (await redis.InstanceAsync()).Circuits;
        var b = (await redis.InstanceAsync()).Circuits;
        var seen = new ConcurrentQueue<(string, DateTimeOffset)>();
        b.Subscribe((d, until) => seen.Enqueue((d, until)));
        var until = redis.Time.GetUtcNow().AddSeconds(30);

        await a.OpenAsync("p/m", until);
        // An earlier end than the one recorded changes nothing and is not announced.
        await a.OpenAsync("p/m", until.AddSeconds(-10));

        for (var i = 0; i < 200 && seen.IsEmpty; i++)
        {
            await Task.Delay(10);
        }

        await Task.Delay(50);
        Assert.Equal([("p/m", until)], seen.ToArray());

        var later = new List<(string, DateTimeOffset)>();
        (await redis.InstanceAsync()).Circuits.Subscribe((d, u) => later.Add((d, u)));
        Assert.Equal([("p/m", until)], later);

        // Once the break is over, a new instance has nothing to pass over.
        redis.Time.Advance(TimeSpan.FromSeconds(31));
        var none = new List<string>();
        (await redis.InstanceAsync()).Circuits.Subscribe((d, _) => none.Add(d));
        Assert.Empty(none);
    }
}
