namespace Tollgate.Storage.Budgets;

/// <summary>
/// Budgets shared by several gateway instances: per budget (a key, or a client in public mode), the settled spend
/// and the reservations of requests in flight in the current period. A reservation is admitted only if settled +
/// reserved + its amount stays within the threshold, checked and taken in one atomic step, so instances cannot
/// together pass a limit. Reservations carry a lease: those of an instance that stops renewing them (it crashed)
/// are released after a bounded time.
/// <para>
/// Periods follow the in-process tracker: when the period turns, both sums start from zero and reservations of the
/// old period settle into nothing; when the budget's retention changes, <see cref="ReconcileAsync"/> sets the settled
/// spend of the new period and keeps the reservations in flight.
/// </para>
/// </summary>
public interface IBudgetStore
{
    /// <summary>
    /// Reserves <paramref name="amount"/> USD when it fits under <paramref name="threshold"/>. When the store holds nothing
    /// for the budget (<see cref="BudgetDecision.Unknown"/>: new, expired, or lost when Redis restarted) nothing is
    /// reserved: the caller reconciles it from the ledger first, so a lost state never passes for zero spend.
    /// </summary>
    ValueTask<BudgetDecision> TryReserveAsync(string budgetId, string retention, DateTimeOffset periodStart, decimal threshold, decimal amount);

    /// <summary>Replaces the reservation by the real cost. A reservation whose lease ran out still adds its cost, if its period is current.</summary>
    ValueTask SettleAsync(BudgetHold hold, decimal actual);

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

/// <summary>A reservation taken by <see cref="IBudgetStore.TryReserveAsync"/>, for <see cref="IBudgetStore.SettleAsync"/>.</summary>
/// <param name="BudgetId">The budget.</param>
/// <param name="HoldId">Unique per reservation; names its lease.</param>
/// <param name="Generation">The period it belongs to; a settle in a later one changes nothing.</param>
/// <param name="Amount">USD reserved.</param>
public readonly record struct BudgetHold(string BudgetId, string HoldId, long Generation, decimal Amount);

/// <summary>A budget's settled and reserved spend in USD.</summary>
public readonly record struct BudgetTotals(decimal Spent, decimal Reserved);

/// <summary>The outcome of <see cref="IBudgetStore.TryReserveAsync"/>: whether it was reserved, the hold, and the totals the decision was made on.</summary>
/// <param name="Reserved">True when the amount was reserved.</param>
/// <param name="Hold">The reservation, to settle.</param>
/// <param name="Totals">Settled and reserved spend before this reservation.</param>
/// <param name="Unknown">The store had no state for the budget: reconcile it from the ledger and try again.</param>
public readonly record struct BudgetDecision(bool Reserved, BudgetHold Hold, BudgetTotals Totals, bool Unknown = false);
