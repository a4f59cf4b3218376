namespace Tollgate.Storage.Counters;

/// <summary>
/// Rate-limit counters: fixed-window counts (requests or tokens per window) and gauges (requests in flight).
/// In memory on one instance; a shared store (Redis with atomic scripts) implements the same calls when
/// several instances serve the same keys.
/// </summary>
public interface ICounterStore
{
    /// <summary>
    /// Adds <paramref name="amount"/> to <paramref name="key"/>'s count in the window that ends at
    /// <paramref name="windowEnd"/> (UTC ticks, which also names the window) only if the count stays within
    /// <paramref name="limit"/>; the check and the add are one atomic step. A counter whose stored window
    /// ended earlier starts again from zero.
    /// </summary>
    ValueTask<CounterResult> TryAddAsync(string key, long windowEnd, long amount, long limit);

    /// <summary>Adds <paramref name="amount"/> (possibly negative) without a limit, if the window ending at <paramref name="windowEnd"/> is still the counter's current one.</summary>
    ValueTask AddAsync(string key, long windowEnd, long amount);

    /// <summary>Raises a gauge by one if it stays within <paramref name="limit"/>; returns the value after, or -1 when refused.</summary>
    ValueTask<long> TryAcquireAsync(string key, long limit);

    /// <summary>Lowers a gauge raised by <see cref="TryAcquireAsync"/>.</summary>
    ValueTask ReleaseAsync(string key);
}

/// <summary>The outcome of <see cref="ICounterStore.TryAddAsync"/>: whether the amount fitted, and the count in the window afterwards (or as it stood when refused).</summary>
public readonly record struct CounterResult(bool Allowed, long Count);
