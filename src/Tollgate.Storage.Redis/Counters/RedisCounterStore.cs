using System.Collections.Concurrent;
using StackExchange.Redis;
using Tollgate.Storage.Counters;
using Tollgate.Storage.Redis.Leases;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis.Counters;

/// <summary>
/// Rate-limit counters in Redis, shared by every instance: each check-and-add is one run of <c>window.lua</c> or
/// <c>gauge.lua</c>, atomic on the server, so at a limit of 60 exactly 60 adds pass whichever instances make them.
/// Gauge slots carry leases (<see cref="LeaseKeeper"/>). Unreachable Redis throws <see cref="SharedStateUnavailableException"/>.
/// </summary>
internal sealed class RedisCounterStore(Func<IDatabase> database, RedisKeys keys, LeaseKeeper leases) : ICounterStore
{
    // A window's key outlives its end a little, so late corrections of its count still find it.
    private const long WindowGraceMs = 60_000;

    // The slots this instance holds per gauge: any one of them may be given back, they are alike.
    private readonly ConcurrentDictionary<string, ConcurrentStack<string>> _slots = new(StringComparer.Ordinal);

    public async ValueTask<CounterResult> TryAddAsync(string key, long windowEnd, long amount, long limit)
    {
        var result = await RunAsync(RedisScript.Window, keys.Window(key, windowEnd), ["try", amount, limit, Math.Max(0, UnixMs(windowEnd) - leases.NowMs()) + WindowGraceMs]).ConfigureAwait(false);
        var values = (RedisResult[])result!;
        return new CounterResult((long)values[0] == 1, (long)values[1]);
    }

    public async ValueTask AddAsync(string key, long windowEnd, long amount) =>
        await RunAsync(RedisScript.Window, keys.Window(key, windowEnd), ["add", amount]).ConfigureAwait(false);

    public async ValueTask<long> TryAcquireAsync(string key, long limit)
    {
        var gauge = keys.Gauge(key);
        var slot = leases.NewId();

        // Held before the script runs, so a renewal racing with it cannot miss the new slot.
        leases.Hold(gauge, slot);
        long count;
        try
        {
            count = (long)await RunAsync(RedisScript.Gauge, gauge, ["acquire", leases.NowMs(), leases.LeaseEndMs(), slot, limit]).ConfigureAwait(false);
        }
        catch
        {
            leases.Drop(gauge, slot);
            throw;
        }

        if (count < 0)
        {
            leases.Drop(gauge, slot);
            return -1;
        }

        _slots.GetOrAdd(key, static _ => new ConcurrentStack<string>()).Push(slot);
        return count;
    }

    public async ValueTask ReleaseAsync(string key)
    {
        if (!_slots.TryGetValue(key, out var stack) || !stack.TryPop(out var slot))
        {
            return;
        }

        var gauge = keys.Gauge(key);
        leases.Drop(gauge, slot);

        // If this fails, the slot's lease (no longer renewed) ends it.
        await RunAsync(RedisScript.Gauge, gauge, ["release", leases.NowMs(), 0, slot]).ConfigureAwait(false);
    }

    private static long UnixMs(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    private async Task<RedisResult> RunAsync(RedisScript script, string key, RedisValue[] args)
    {
        try
        {
            return await script.EvaluateAsync(database(), [key], args).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }
}
