using StackExchange.Redis;
using Tollgate.Storage.Limits;
using Tollgate.Storage.Redis.Leases;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis.Limits;

/// <summary>
/// A key's limits in Redis, shared by every instance: a take is one run of <c>limits.lua</c> that checks every part and
/// takes all or none, and a give-back is one more; so at 60 RPM exactly 60 requests pass whichever instances admit them,
/// in one round trip each. The slot and the budget hold of a take share one id, whose leases <see cref="LeaseKeeper"/>
/// renews while the request runs. Unreachable Redis throws <see cref="SharedStateUnavailableException"/>.
/// </summary>
internal sealed class RedisLimitStore(Func<IDatabase> database, RedisKeys keys, LeaseKeeper leases) : ILimitStore
{
    // A window's key outlives its end a little, so late corrections of its count still find it.
    private const long WindowGraceMs = 60_000;

    public async ValueTask<LimitOutcome> TryTakeAsync(LimitTake take)
    {
        ArgumentNullException.ThrowIfNull(take);
        var hold = leases.NewId();
        var now = leases.NowMs();
        var leaseEnd = leases.LeaseEndMs();
        var redisKeys = new List<RedisKey>(6);
        var args = new List<RedisValue>(32) { "take", now };
        RedisKey? gauge = null, budgetLeases = null;
        if (take.Parallel is { } p)
        {
            gauge = keys.Gauge(p.Key);
            args.AddRange(["gauge", Add(redisKeys, gauge.Value), hold, leaseEnd, p.Limit]);
        }

        AddWindow(take.Requests);
        AddWindow(take.Tokens);
        if (take.Budget is { } b)
        {
            var k = AddBudget(redisKeys, b.Id, out var leaseSet);
            budgetLeases = leaseSet;
            args.AddRange(["budget", k, b.Retention, b.PeriodStart.ToUnixTimeMilliseconds(), BudgetLifetime.Ms(b.Retention, b.PeriodStart, now), Nanos.Floor(b.Threshold), Nanos.Ceiling(b.Amount), hold, leaseEnd]);
        }

        // Held before the script runs, so a renewal racing with it cannot miss them.
        Hold(gauge, budgetLeases, hold);
        RedisResult[] r;
        try
        {
            r = (RedisResult[])(await RunAsync([.. redisKeys], [.. args]).ConfigureAwait(false))!;
        }
        catch
        {
            Drop(gauge, budgetLeases, hold);
            throw;
        }

        var status = (long)r[0];
        var outcome = new LimitOutcome { Taken = status == 1, BudgetUnknown = status < 0, HoldId = hold };
        var at = 1;
        var refused = LimitParts.None;
        var checkedParts = LimitParts.None;
        if (take.Parallel is not null)
        {
            refused |= Fits(r, ref at, LimitParts.Parallel, ref checkedParts);
            outcome = outcome with { ParallelCount = (long)r[at++] };
        }

        if (take.Requests is not null)
        {
            refused |= Fits(r, ref at, LimitParts.Requests, ref checkedParts);
            outcome = outcome with { RequestsCount = (long)r[at++] };
        }

        if (take.Tokens is not null)
        {
            refused |= Fits(r, ref at, LimitParts.Tokens, ref checkedParts);
            outcome = outcome with { TokensCount = (long)r[at++] };
        }

        if (take.Budget is not null)
        {
            refused |= Fits(r, ref at, LimitParts.Budget, ref checkedParts);
            outcome = outcome with
            {
                BudgetSpent = Nanos.Usd((string)r[at]!),
                BudgetReserved = Nanos.Usd((string)r[at + 1]!),
                BudgetGeneration = long.Parse((string)r[at + 2]!, System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        if (!outcome.Taken)
        {
            Drop(gauge, budgetLeases, hold);
        }

        return outcome with { Refused = outcome.Taken ? LimitParts.None : refused, Checked = outcome.BudgetUnknown ? LimitParts.None : checkedParts };

        void AddWindow(WindowTake? window)
        {
            if (window is { } w)
            {
                args.AddRange(["window", Add(redisKeys, keys.Window(w.Key, w.WindowEnd)), w.Amount, w.Limit, Math.Max(0, UnixMs(w.WindowEnd) - now) + WindowGraceMs]);
            }
        }
    }

    public async ValueTask GiveBackAsync(LimitTake take, LimitOutcome outcome, long tokensDelta, decimal actualCost)
    {
        ArgumentNullException.ThrowIfNull(take);
        if (!outcome.Taken || outcome.HoldId is not { } hold)
        {
            return;
        }

        var redisKeys = new List<RedisKey>(5);
        var args = new List<RedisValue>(16) { "give", leases.NowMs() };
        RedisKey? gauge = null, budgetLeases = null;
        if (take.Parallel is { } p)
        {
            gauge = keys.Gauge(p.Key);
            args.AddRange(["gauge", Add(redisKeys, gauge.Value), hold]);
        }

        if (take.Tokens is { } t && tokensDelta != 0)
        {
            args.AddRange(["window", Add(redisKeys, keys.Window(t.Key, t.WindowEnd)), tokensDelta]);
        }

        if (take.Budget is { } b)
        {
            var k = AddBudget(redisKeys, b.Id, out var leaseSet);
            budgetLeases = leaseSet;
            args.AddRange(["budget", k, outcome.BudgetGeneration, Nanos.Ceiling(actualCost), hold]);
        }

        // No longer renewed: if the give-back fails, the leases end the slot and the hold, and the reconciliation with the
        // ledger counts the cost.
        Drop(gauge, budgetLeases, hold);
        if (args.Count > 2)
        {
            await RunAsync([.. redisKeys], [.. args]).ConfigureAwait(false);
        }
    }

    private static LimitParts Fits(RedisResult[] r, ref int at, LimitParts part, ref LimitParts checkedParts)
    {
        checkedParts |= part;
        return (long)r[at++] == 1 ? LimitParts.None : part;
    }

    // A budget's state, leases and amounts, in that order; returns the state's index.
    private int AddBudget(List<RedisKey> list, string id, out RedisKey leaseSet)
    {
        var (state, leaseKey, amounts) = keys.Budget(id);
        leaseSet = leaseKey;
        var k = Add(list, state);
        list.Add(leaseKey);
        list.Add(amounts);
        return k;
    }

    // The script names keys by their 1-based index.
    private static int Add(List<RedisKey> list, RedisKey key)
    {
        list.Add(key);
        return list.Count;
    }

    private void Hold(RedisKey? gauge, RedisKey? budgetLeases, string hold)
    {
        if (gauge is { } g)
        {
            leases.Hold(g, hold);
        }

        if (budgetLeases is { } b)
        {
            leases.Hold(b, hold);
        }
    }

    private void Drop(RedisKey? gauge, RedisKey? budgetLeases, string hold)
    {
        if (gauge is { } g)
        {
            leases.Drop(g, hold);
        }

        if (budgetLeases is { } b)
        {
            leases.Drop(b, hold);
        }
    }

    private static long UnixMs(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    private async Task<RedisResult> RunAsync(RedisKey[] redisKeys, RedisValue[] args)
    {
        try
        {
            return await RedisScript.Limits.EvaluateAsync(database(), redisKeys, args).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }
}
