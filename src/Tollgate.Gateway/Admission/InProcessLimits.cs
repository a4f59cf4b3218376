using Tollgate.Storage.Counters;
using Tollgate.Storage.Limits;

namespace Tollgate.Gateway.Admission;

/// <summary>
/// A key's limits in this process (one instance): the parts are taken in order (slot, requests, tokens, budget), each
/// atomically; at the first that does not fit, those already taken are given back, so a refused take holds nothing.
/// </summary>
internal sealed class InProcessLimits(ICounterStore counters, BudgetTracker budgets) : ILimitStore
{
    public async ValueTask<LimitOutcome> TryTakeAsync(LimitTake take)
    {
        ArgumentNullException.ThrowIfNull(take);
        var outcome = new LimitOutcome();
        if (take.Parallel is { } p)
        {
            var count = await counters.TryAcquireAsync(p.Key, p.Limit).ConfigureAwait(false);
            outcome = outcome with { Checked = LimitParts.Parallel, ParallelCount = count < 0 ? p.Limit : count };
            if (count < 0)
            {
                return outcome with { Refused = LimitParts.Parallel };
            }
        }

        if (take.Requests is { } r)
        {
            var c = await counters.TryAddAsync(r.Key, r.WindowEnd, r.Amount, r.Limit).ConfigureAwait(false);
            outcome = outcome with { Checked = outcome.Checked | LimitParts.Requests, RequestsCount = c.Count };
            if (!c.Allowed)
            {
                await UndoAsync(take, LimitParts.Parallel).ConfigureAwait(false);
                return outcome with { Refused = LimitParts.Requests };
            }
        }

        if (take.Tokens is { } t)
        {
            var c = await counters.TryAddAsync(t.Key, t.WindowEnd, t.Amount, t.Limit).ConfigureAwait(false);
            outcome = outcome with { Checked = outcome.Checked | LimitParts.Tokens, TokensCount = c.Count };
            if (!c.Allowed)
            {
                await UndoAsync(take, LimitParts.Parallel | LimitParts.Requests).ConfigureAwait(false);
                return outcome with { Refused = LimitParts.Tokens };
            }
        }

        if (take.Budget is { } b)
        {
            var reserved = budgets.TryReserve(b.Id, b.Retention, b.PeriodStart, b.Threshold, b.Amount, out var reservation, out var snapshot);
            outcome = outcome with
            {
                Checked = outcome.Checked | LimitParts.Budget,
                BudgetSpent = snapshot.Spent,
                BudgetReserved = snapshot.Reserved,
                BudgetGeneration = reservation.Generation,
            };
            if (!reserved)
            {
                await UndoAsync(take, LimitParts.Parallel | LimitParts.Requests | LimitParts.Tokens).ConfigureAwait(false);
                return outcome with { Refused = LimitParts.Budget };
            }
        }

        return outcome with { Taken = true };
    }

    public async ValueTask GiveBackAsync(LimitTake take, LimitOutcome outcome, long tokensDelta, decimal actualCost)
    {
        ArgumentNullException.ThrowIfNull(take);
        if (!outcome.Taken)
        {
            return;
        }

        if (take.Parallel is { } p)
        {
            await counters.ReleaseAsync(p.Key).ConfigureAwait(false);
        }

        if (take.Tokens is { } t && tokensDelta != 0)
        {
            await counters.AddAsync(t.Key, t.WindowEnd, tokensDelta).ConfigureAwait(false);
        }

        if (take.Budget is { } b)
        {
            budgets.Settle(new BudgetReservation(b.Id, outcome.BudgetGeneration, b.Amount), actualCost);
        }
    }

    private async ValueTask UndoAsync(LimitTake take, LimitParts parts)
    {
        if ((parts & LimitParts.Tokens) != 0 && take.Tokens is { } t)
        {
            await counters.AddAsync(t.Key, t.WindowEnd, -t.Amount).ConfigureAwait(false);
        }

        if ((parts & LimitParts.Requests) != 0 && take.Requests is { } r)
        {
            await counters.AddAsync(r.Key, r.WindowEnd, -r.Amount).ConfigureAwait(false);
        }

        if ((parts & LimitParts.Parallel) != 0 && take.Parallel is { } p)
        {
            await counters.ReleaseAsync(p.Key).ConfigureAwait(false);
        }
    }
}
