using System.Globalization;
using StackExchange.Redis;
using Tollgate.Storage.Budgets;
using Tollgate.Storage.Redis.Leases;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis.Budgets;

/// <summary>
/// Budgets in Redis, shared by every instance: each reserve, settle and reconcile is one run of <c>budget.lua</c>.
/// Money crosses into Redis as whole nano-dollars: reservations and costs rounded up, thresholds down, so rounding
/// can only make a budget stricter. Reservations carry leases (<see cref="LeaseKeeper"/>).
/// </summary>
internal sealed class RedisBudgetStore(Func<IDatabase> database, RedisKeys keys, LeaseKeeper leases) : IBudgetStore
{
    private const decimal NanosPerUsd = 1_000_000_000m;

    // Lua's numbers are exact below 2^53 nano-dollars: about $9 million per budget and period.
    private const decimal MaxUsd = 9_007_199.254740992m;

    public async ValueTask<BudgetDecision> TryReserveAsync(string budgetId, string retention, DateTimeOffset periodStart, decimal threshold, decimal amount)
    {
        var hold = leases.NewId();
        var leaseSet = keys.Budget(budgetId).Leases;
        leases.Hold(leaseSet, hold);
        RedisResult[] r;
        try
        {
            r = (RedisResult[])(await RunAsync(budgetId, Args("reserve", retention, periodStart, Floor(threshold), Ceiling(amount), hold, leases.LeaseEndMs())).ConfigureAwait(false))!;
        }
        catch
        {
            leases.Drop(leaseSet, hold);
            throw;
        }

        var totals = new BudgetTotals(Usd((string)r[1]!), Usd((string)r[2]!));
        var generation = long.Parse((string)r[3]!, CultureInfo.InvariantCulture);
        var outcome = (long)r[0];
        if (outcome != 1)
        {
            leases.Drop(leaseSet, hold);
            return new BudgetDecision(false, default, totals, Unknown: outcome < 0);
        }

        return new BudgetDecision(true, new BudgetHold(budgetId, hold, generation, amount), totals);
    }

    public async ValueTask SettleAsync(BudgetHold hold, decimal actual)
    {
        leases.Drop(keys.Budget(hold.BudgetId).Leases, hold.HoldId);

        // The retention and period play no part in a settle: the generation names the period.
        await RunAsync(hold.BudgetId, Args("settle", "", DateTimeOffset.UnixEpoch, hold.Generation, Ceiling(actual), hold.HoldId)).ConfigureAwait(false);
    }

    public BudgetTotals Get(string budgetId, string retention, DateTimeOffset periodStart)
    {
        var (state, leaseSet, amounts) = keys.Budget(budgetId);
        try
        {
            var r = (RedisResult[])RedisScript.Budget.Evaluate(database(), [state, leaseSet, amounts], Args("get", retention, periodStart))!;
            return new BudgetTotals(Usd((string)r[0]!), Usd((string)r[1]!));
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }

    public async ValueTask ReconcileAsync(string budgetId, string retention, DateTimeOffset periodStart, decimal ledgerSpent) =>
        await RunAsync(budgetId, Args("reconcile", retention, periodStart, Ceiling(ledgerSpent))).ConfigureAwait(false);

    private RedisValue[] Args(string op, string retention, DateTimeOffset periodStart, params RedisValue[] rest)
    {
        var args = new RedisValue[5 + rest.Length];
        args[0] = op;
        args[1] = retention;
        args[2] = periodStart.ToUnixTimeMilliseconds();
        args[3] = leases.NowMs();
        args[4] = Lifetime(retention, periodStart);
        rest.CopyTo(args, 5);
        return args;
    }

    /// <summary>How long a budget's state lives from now, in ms: until well after its period ended (no_reset: for ever, 0).</summary>
    private long Lifetime(string retention, DateTimeOffset periodStart)
    {
        var end = retention switch
        {
            "day" => periodStart.AddDays(2),
            "week" => periodStart.AddDays(8),
            "month" => periodStart.AddDays(32),
            _ => (DateTimeOffset?)null,
        };
        return end is { } e ? Math.Max(60_000, e.ToUnixTimeMilliseconds() - leases.NowMs()) : 0;
    }

    private async Task<RedisResult> RunAsync(string budgetId, RedisValue[] args)
    {
        var (state, leaseSet, amounts) = keys.Budget(budgetId);
        try
        {
            return await RedisScript.Budget.EvaluateAsync(database(), [state, leaseSet, amounts], args).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }

    private static string Ceiling(decimal usd) => decimal.Ceiling(Clamp(usd) * NanosPerUsd).ToString(CultureInfo.InvariantCulture);

    private static string Floor(decimal usd) => decimal.Floor(Clamp(usd) * NanosPerUsd).ToString(CultureInfo.InvariantCulture);

    private static decimal Clamp(decimal usd) => Math.Clamp(usd, -MaxUsd, MaxUsd);

    private static decimal Usd(string nanos) => long.Parse(nanos, CultureInfo.InvariantCulture) / NanosPerUsd;
}
