namespace Tollgate.Storage.Quotas;

/// <summary>
/// Provider quotas (a provider's <c>limits</c>) shared by several gateway instances: fixed windows counted together,
/// so that a provider's <c>rpm</c> holds whichever instances send its requests. Each instance keeps its own count in
/// memory when there is no shared store.
/// </summary>
public interface IQuotaStore
{
    /// <summary>
    /// Adds each window's amount to its count only if every window stays within its limit: the check and the adds are
    /// one atomic step over all the windows. Returns the counts after the adds (or as they stood when refused).
    /// </summary>
    /// <exception cref="SharedStateUnavailableException">The store cannot be reached.</exception>
    ValueTask<QuotaResult> TryAddAsync(string provider, IReadOnlyList<QuotaWindow> windows);

    /// <summary>
    /// Adds each window's amount (possibly negative) without a limit, never below zero, to the windows that still exist
    /// (a correction to a window that has ended does nothing).
    /// </summary>
    /// <exception cref="SharedStateUnavailableException">The store cannot be reached.</exception>
    ValueTask AddAsync(string provider, IReadOnlyList<QuotaWindow> windows);
}
