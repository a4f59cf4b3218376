using System.Collections.Concurrent;

namespace Tollgate.Gateway.Admission;

/// <summary>
/// Spend per budget (a key, or a client IP in public mode) in its current period: what is settled and what
/// in-flight requests have reserved. A request is admitted only if settled + reserved + its own worst case
/// stays within the threshold, checked and reserved under the budget's own lock, so concurrent requests
/// cannot together pass the limit. When the period turns, both sums start from zero; requests still in
/// flight from the old period settle into the old one (the ledger dates them by their start).
/// </summary>
internal sealed class BudgetTracker
{
    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Sets the spend of the period starting at <paramref name="periodStart"/> (from the ledger at start-up or after a retention change).</summary>
    public void Seed(string id, DateTimeOffset periodStart, decimal spent)
    {
        var s = _states.GetOrAdd(id, static _ => new State());
        lock (s)
        {
            if (s.PeriodStart != periodStart)
            {
                // Reservations made for another period no longer count here (their settlement is ignored).
                s.Reserved = 0;
            }

            s.PeriodStart = periodStart;
            s.Spent = spent;
        }
    }

    /// <summary>Reserves <paramref name="amount"/> when it fits; the snapshot shows the state the decision was made on.</summary>
    public bool TryReserve(string id, DateTimeOffset periodStart, decimal threshold, decimal amount, out BudgetReservation reservation, out BudgetSnapshot snapshot)
    {
        var s = _states.GetOrAdd(id, static _ => new State());
        lock (s)
        {
            Roll(s, periodStart);
            snapshot = new BudgetSnapshot(s.Spent, s.Reserved);
            if (s.Spent + s.Reserved + amount > threshold)
            {
                reservation = default;
                return false;
            }

            s.Reserved += amount;
            reservation = new BudgetReservation(id, periodStart, amount);
            return true;
        }
    }

    /// <summary>Replaces a reservation by the real cost (0 when the request failed before it cost anything).</summary>
    public void Settle(BudgetReservation reservation, decimal actual)
    {
        if (!_states.TryGetValue(reservation.Id, out var s))
        {
            return;
        }

        lock (s)
        {
            if (s.PeriodStart == reservation.PeriodStart)
            {
                s.Reserved -= reservation.Amount;
                s.Spent += actual;
            }
        }
    }

    /// <summary>Settled and reserved spend of the current period.</summary>
    public BudgetSnapshot Get(string id, DateTimeOffset periodStart)
    {
        if (!_states.TryGetValue(id, out var s))
        {
            return default;
        }

        lock (s)
        {
            Roll(s, periodStart);
            return new BudgetSnapshot(s.Spent, s.Reserved);
        }
    }

    private static void Roll(State s, DateTimeOffset periodStart)
    {
        if (s.PeriodStart < periodStart)
        {
            s.PeriodStart = periodStart;
            s.Spent = 0;
            s.Reserved = 0;
        }
    }

    private sealed class State
    {
        public DateTimeOffset PeriodStart = DateTimeOffset.MinValue;
        public decimal Spent;
        public decimal Reserved;
    }
}

/// <summary>Money set aside for one request in one budget period.</summary>
internal readonly record struct BudgetReservation(string Id, DateTimeOffset PeriodStart, decimal Amount);

/// <summary>A budget's settled and reserved spend in its current period.</summary>
internal readonly record struct BudgetSnapshot(decimal Spent, decimal Reserved);
