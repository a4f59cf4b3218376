namespace Tollgate.Storage.Limits;

/// <summary>
/// The limits of a key (or of a client in public mode) that one request takes at admission and gives back when it
/// settles: a <c>max_parallel</c> slot, room in a request window and a token window, and a budget reservation.
/// A take is all or nothing, so a request refused by one limit holds nothing of the others. In memory on one instance;
/// in Redis (one script run per take and per give-back) when several instances serve the same keys.
/// </summary>
public interface ILimitStore
{
    /// <summary>
    /// Takes every part of <paramref name="take"/> if each fits, else none. A shared store checks every part even after
    /// one does not fit, so the outcome says how each stood; one in memory may stop at the first that does not fit
    /// (see <see cref="LimitOutcome.Checked"/>).
    /// </summary>
    /// <exception cref="SharedStateUnavailableException">A shared store cannot be reached.</exception>
    ValueTask<LimitOutcome> TryTakeAsync(LimitTake take);

    /// <summary>
    /// Gives back what <paramref name="outcome"/> took: the slot, the token window corrected by
    /// <paramref name="tokensDelta"/> (the reported total minus what was taken), and the budget reservation replaced by
    /// <paramref name="actualCost"/>. A reservation whose period ended changes nothing.
    /// </summary>
    /// <exception cref="SharedStateUnavailableException">A shared store cannot be reached: what was held then ends with its lease.</exception>
    ValueTask GiveBackAsync(LimitTake take, LimitOutcome outcome, long tokensDelta, decimal actualCost);
}
