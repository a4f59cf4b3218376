using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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

    [Fact]
    public async Task Subscribe_RedisDownAtStart_LearnsWhatWasOpenedBeforeItReconnected()
    {
        // A private Redis on a free loopback port, not yet started.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var url = $"redis://127.0.0.1:{port}";
        await using var late = await RedisSharedState.ConnectAsync(url, TimeProvider.System);
        var seen = new ConcurrentQueue<(string, DateTimeOffset)>();
        late.Circuits.Subscribe((d, until) => seen.Enqueue((d, until)));
        Assert.False(late.IsConnected);

        using var server = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]) { RedirectStandardOutput = true })!;
        try
        {
            // Another instance opens a circuit as soon as the server answers, most likely before the first one has
            // reconnected (it retries every 500 ms): that one hears no announcement and must read the hash.
            await using var early = await ConnectWhenUpAsync(url);
            var until = DateTimeOffset.UtcNow.AddMinutes(5);
            var stamp = DateTimeOffset.FromUnixTimeMilliseconds(until.ToUnixTimeMilliseconds());
            await early.Circuits.OpenAsync("p/m", until);

            var clock = Stopwatch.StartNew();
            while (!seen.Contains(("p/m", stamp)) && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(20);
            }

            Assert.Contains(("p/m", stamp), seen);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    private static async Task<RedisSharedState> ConnectWhenUpAsync(string url)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await RedisSharedState.ConnectAsync(url, TimeProvider.System);
            if (state.IsConnected)
            {
                return state;
            }

            await state.DisposeAsync();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the private redis-server did not start");
            await Task.Delay(10);
        }
    }
}
