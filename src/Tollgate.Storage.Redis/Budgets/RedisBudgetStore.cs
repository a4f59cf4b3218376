using StackExchange.Redis;
using Tollgate.Storage.Budgets;
using Tollgate.Storage.Redis.Leases;
using Tollgate.Storage.Redis.Limits;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis.Budgets;

/// <summary>
/// Reads budgets in Redis and brings them in line with the ledger, each one run of <c>limits.lua</c>; reservations are
/// taken with a key's other limits (<see cref="RedisLimitStore"/>). Money crosses as whole nano-dollars (<see cref="Nanos"/>).
/// </summary>
internal sealed class RedisBudgetStore(Func<IDatabase> database, RedisKeys keys, LeaseKeeper leases) : IBudgetStore
{
    public BudgetTotals Get(string budgetId, string retention, DateTimeOffset periodStart)
    {
        var (state, leaseSet, amounts) = keys.Budget(budgetId);
        try
        {
            var r = (RedisResult[])RedisScript.Limits.Evaluate(database(), [state, leaseSet, amounts], ["get", leases.NowMs(), retention, periodStart.ToUnixTimeMilliseconds()])!;
            return new BudgetTotals(Nanos.Usd((string)r[0]!), Nanos.Usd((string)r[1]!));
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }

    public async ValueTask ReconcileAsync(string budgetId, string retention, DateTimeOffset periodStart, decimal ledgerSpent)
    {
        var (state, leaseSet, amounts) = keys.Budget(budgetId);
        var now = leases.NowMs();
        try
        {
            await RedisScript.Limits.EvaluateAsync(database(), [state, leaseSet, amounts], ["reconcile", now, retention, periodStart.ToUnixTimeMilliseconds(), BudgetLifetime.Ms(retention, periodStart, now), Nanos.Ceiling(ledgerSpent)]).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }
}
