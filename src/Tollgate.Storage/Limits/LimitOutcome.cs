namespace Tollgate.Storage.Limits;

/// <summary>
/// The outcome of <see cref="ILimitStore.TryTakeAsync"/>: whether everything was taken, which parts did not fit, and how
/// each checked part stood; what <see cref="ILimitStore.GiveBackAsync"/> needs to give it back.
/// </summary>
public readonly record struct LimitOutcome
{
    /// <summary>True when every part was taken.</summary>
    public bool Taken { get; init; }

    /// <summary>The parts that did not fit (none when <see cref="Taken"/>).</summary>
    public LimitParts Refused { get; init; }

    /// <summary>The parts checked: all of them in a shared store; in memory, up to the first that did not fit.</summary>
    public LimitParts Checked { get; init; }

    /// <summary>A shared store has no state for the budget (new, expired, or lost when Redis restarted): nothing was taken; reconcile it from the ledger and take again.</summary>
    public bool BudgetUnknown { get; init; }

    /// <summary>The gauge's slots held: after the take, or as they stood when refused.</summary>
    public long ParallelCount { get; init; }

    /// <summary>The request window's count: after the take, or as it stood.</summary>
    public long RequestsCount { get; init; }

    /// <summary>The token window's count: after the take, or as it stood.</summary>
    public long TokensCount { get; init; }

    /// <summary>The budget's settled and reserved spend before this take.</summary>
    public decimal BudgetSpent { get; init; }

    /// <inheritdoc cref="BudgetSpent"/>
    public decimal BudgetReserved { get; init; }

    /// <summary>The budget period's generation the reservation belongs to; a give-back in a later one settles nothing.</summary>
    public long BudgetGeneration { get; init; }

    /// <summary>Names the slot and the budget hold in a shared store (their leases), null in memory.</summary>
    public string? HoldId { get; init; }
}

/// <summary>The parts of a <see cref="LimitTake"/>.</summary>
[Flags]
public enum LimitParts
{
    /// <summary>No part.</summary>
    None = 0,

    /// <summary><see cref="LimitTake.Parallel"/>.</summary>
    Parallel = 1,

    /// <summary><see cref="LimitTake.Requests"/>.</summary>
    Requests = 2,

    /// <summary><see cref="LimitTake.Tokens"/>.</summary>
    Tokens = 4,

    /// <summary><see cref="LimitTake.Budget"/>.</summary>
    Budget = 8,
}
