using System.Collections.Concurrent;
using Tollgate.Storage;
using Tollgate.Storage.Budgets;
using Tollgate.Storage.Counters;

namespace Tollgate.Gateway.Admission;

/// <summary>
/// Spend per budget (a key, or a client IP in public mode) in its current period: what is settled and what
/// in-flight requests have reserved. A request is admitted only if settled + reserved + its own worst case
/// stays within the threshold, checked and reserved under the budget's own lock, so concurrent requests
/// cannot together pass the limit.
/// <para>
/// When the period turns, both sums start from zero (a new generation); requests still in flight from the old
/// period settle into the old one (the ledger dates them by their start) and leave the new one alone. When a
/// key's retention changes, <see cref="Seed"/> replaces the settled spend with the ledger's sum for the new
/// period but keeps the reservations in flight, so they still count and settle normally. Until then, callers
/// with the other retention use the state as it is rather than resetting it.
/// </para>
/// <para>
/// With a <c>shared</c> store (Redis, for several instances) the same rules hold across instances: reservations are
/// taken and settled there with the key's other limits (<see cref="Storage.Limits.ILimitStore"/>), and the reads and
/// the reconciliation with the ledger here go to the store.
/// </para>
/// </summary>
internal sealed class BudgetTracker
{
    /// <summary>Budgets kept before each reservation starts dropping stale per-client ones, <see cref="SweepPerReserve"/> at a time.</summary>
    public const int SweepThreshold = 100_000;

    /// <summary>Budgets a reservation visits at most to drop stale ones: O(1) per request however many clients there were.</summary>
    public const int SweepPerReserve = 16;

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly IncrementalSweep<State> _sweep;
    private readonly IBudgetStore? _shared;

    public BudgetTracker(IBudgetStore? shared = null)
    {
        _shared = shared;
        _sweep = new IncrementalSweep<State>(_states, SweepPerReserve);
    }

    /// <summary>Budgets held in memory.</summary>
    public int Count => _states.Count;

    /// <summary>Budgets visited by the sweep of stale ones so far.</summary>
    public long SweepVisited => _sweep.Visited;

    /// <summary>
    /// Sets the settled spend from the ledger: <see cref="Seed"/> here; with a shared store, its reconciliation (which
    /// raises the spend to the ledger's but never lowers it within a period).
    /// </summary>
    /// <returns>
    /// False when, in memory, a request settled on this budget after <paramref name="settlesSeen"/> was read (see
    /// <see cref="Settles"/>): the ledger's sum may then miss it, so nothing is replaced and the caller reads again.
    /// </returns>
    public async ValueTask<bool> SeedAsync(string id, string retention, DateTimeOffset periodStart, decimal spent, long settlesSeen = -1)
    {
        if (_shared is null)
        {
            return TrySeed(id, retention, periodStart, spent, settlesSeen);
        }

        await _shared.ReconcileAsync(id, retention, periodStart, spent).ConfigureAwait(false);
        return true;
    }

    /// <summary>How many requests have settled on this budget in memory so far: read before a ledger sum meant for <see cref="SeedAsync"/>.</summary>
    public long Settles(string id) => _states.TryGetValue(id, out var s) ? Interlocked.Read(ref s.Settles) : 0;

    private bool TrySeed(string id, string retention, DateTimeOffset periodStart, decimal spent, long settlesSeen)
    {
        var s = _states.GetOrAdd(id, static _ => new State());
        lock (s)
        {
            if (settlesSeen >= 0 && s.Settles != settlesSeen)
            {
                return false;
            }

            s.Retention = retention;
            s.PeriodStart = periodStart;
            s.Spent = spent;
            return true;
        }
    }

    /// <summary>Sets the settled spend of the period of <paramref name="retention"/> starting at <paramref name="periodStart"/> (from the ledger).</summary>
    public void Seed(string id, string retention, DateTimeOffset periodStart, decimal spent) => TrySeed(id, retention, periodStart, spent, -1);

    /// <summary>Reserves <paramref name="amount"/> when it fits; the snapshot shows the state the decision was made on.</summary>
    public bool TryReserve(string id, string retention, DateTimeOffset periodStart, decimal threshold, decimal amount, out BudgetReservation reservation, out BudgetSnapshot snapshot)
    {
        var s = _states.GetOrAdd(id, static _ => new State());
        lock (s)
        {
            Roll(s, retention, periodStart);
            snapshot = new BudgetSnapshot(s.Spent, s.Reserved);
            if (s.Spent + s.Reserved + amount > threshold)
            {
                reservation = default;
                return false;
            }

            s.Reserved += amount;
            reservation = new BudgetReservation(id, s.Generation, amount);
        }

        if (_states.Count > SweepThreshold)
        {
            _sweep.Step(periodStart, static (id, s, start) => IsStale(id, s, start));
        }

        return true;
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
            s.Settles++;
            if (s.Generation == reservation.Generation)
            {
                s.Reserved -= reservation.Amount;
                s.Spent += actual;
            }
        }
    }

    /// <summary>Settled and reserved spend of the current period.</summary>
    public BudgetSnapshot Get(string id, string retention, DateTimeOffset periodStart)
    {
        if (_shared is not null)
        {
            var totals = _shared.Get(id, retention, periodStart);
            return new BudgetSnapshot(totals.Spent, totals.Reserved);
        }

        if (!_states.TryGetValue(id, out var s))
        {
            return default;
        }

        lock (s)
        {
            Roll(s, retention, periodStart);
            return new BudgetSnapshot(s.Spent, s.Reserved);
        }
    }

    /// <summary>Public mode keeps a budget per client IP: those of past periods with nothing in flight can go.</summary>
    private static bool IsStale(string id, State s, DateTimeOffset periodStart)
    {
        if (!id.StartsWith("ip:", StringComparison.Ordinal))
        {
            return false;
        }

        lock (s)
        {
            return s.Reserved == 0 && s.PeriodStart < periodStart;
        }
    }

    private static void Roll(State s, string retention, DateTimeOffset periodStart)
    {
        if (s.Retention is null)
        {
            // A budget never seen before (a new key): nothing spent yet.
            s.Retention = retention;
            s.PeriodStart = periodStart;
        }
        else if (s.Retention == retention && s.PeriodStart < periodStart)
        {
            s.Generation++;
            s.PeriodStart = periodStart;
            s.Spent = 0;
            s.Reserved = 0;
        }
    }

    private sealed class State
    {
        public string? Retention;
        public DateTimeOffset PeriodStart;
        public long Generation;

        /// <summary>Settlements so far, so a seed from a ledger sum read before one of them is not applied over it.</summary>
        public long Settles;
        public decimal Spent;
        public decimal Reserved;
    }
}

/// <summary>Money set aside for one request in one generation (period) of a budget.</summary>
internal readonly record struct BudgetReservation(string Id, long Generation, decimal Amount);

/// <summary>A budget's settled and reserved spend in its current period.</summary>
internal readonly record struct BudgetSnapshot(decimal Spent, decimal Reserved);
