namespace Tollgate.Storage.Budgets;

/// <summary>
/// Budgets shared by several gateway instances: per budget (a key, or a client in public mode), the settled spend
/// and the reservations of requests in flight in the current period. Reservations are taken with a key's other limits
/// (<see cref="Limits.ILimitStore"/>); this reads a budget and reconciles it with the ledger.
/// <para>
/// Periods follow the in-process tracker: when the period turns, both sums start from zero and reservations of the
/// old period settle into nothing; when the budget's retention changes, <see cref="ReconcileAsync"/> sets the settled
/// spend of the new period and keeps the reservations in flight.
/// </para>
/// </summary>
public interface IBudgetStore
{
    /// <summary>Settled and reserved spend of the period. A management read: it waits for one round trip.</summary>
    BudgetTotals Get(string budgetId, string retention, DateTimeOffset periodStart);

    /// <summary>
    /// Brings the settled spend in line with the ledger, the record: raised to <paramref name="ledgerSpent"/> when it is
    /// lower (entries settled by an instance that crashed before it counted them, or state the store lost), never lowered
    /// within a period (the ledger may lag behind by entries still queued in some instance). When the store holds another
    /// retention or no state, the settled spend becomes <paramref name="ledgerSpent"/>.
    /// </summary>
    ValueTask ReconcileAsync(string budgetId, string retention, DateTimeOffset periodStart, decimal ledgerSpent);
}

/// <summary>A budget's settled and reserved spend in USD.</summary>
public readonly record struct BudgetTotals(decimal Spent, decimal Reserved);
