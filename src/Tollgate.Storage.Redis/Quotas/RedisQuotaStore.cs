using StackExchange.Redis;
using Tollgate.Storage.Quotas;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis.Quotas;

/// <summary>
/// Provider quotas in Redis, shared by every instance: each check-and-add over a provider's windows is one run of
/// <c>quota.lua</c>, atomic on the server, so at <c>rpm</c> 30 exactly 30 requests are counted whichever instances send
/// them. Unreachable Redis throws <see cref="SharedStateUnavailableException"/>.
/// </summary>
internal sealed class RedisQuotaStore(Func<IDatabase> database, RedisKeys keys, TimeProvider time) : IQuotaStore
{
    // A window's key outlives its end a little, so late corrections of its count still find it.
    private const long WindowGraceMs = 60_000;

    public async ValueTask<QuotaResult> TryAddAsync(string provider, IReadOnlyList<QuotaWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var result = (RedisResult[])(await RunAsync(provider, windows, "try").ConfigureAwait(false))!;
        var counts = new long[windows.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = (long)result[i + 2];
        }

        return new QuotaResult((long)result[0] == 1, (int)(long)result[1] - 1, counts);
    }

    public async ValueTask AddAsync(string provider, IReadOnlyList<QuotaWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        await RunAsync(provider, windows, "add").ConfigureAwait(false);
    }

    private async Task<RedisResult> RunAsync(string provider, IReadOnlyList<QuotaWindow> windows, string op)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var redisKeys = new RedisKey[windows.Count];
        var args = new RedisValue[1 + (4 * windows.Count)];
        args[0] = op;
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            redisKeys[i] = keys.Quota(provider, w.Name, w.WindowEnd);
            args[1 + (4 * i)] = w.Amount;
            args[2 + (4 * i)] = w.Limit;
            args[3 + (4 * i)] = w.EmptyAdmitsAny ? 1 : 0;
            args[4 + (4 * i)] = Math.Max(0, UnixMs(w.WindowEnd) - now) + WindowGraceMs;
        }

        try
        {
            return await RedisScript.Quota.EvaluateAsync(database(), redisKeys, args).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }

    private static long UnixMs(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
