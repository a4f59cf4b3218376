namespace Tollgate.Storage.Ledger;

/// <summary>The durable record of every request.</summary>
public interface ILedger : IAsyncDisposable
{
    /// <summary>Queues an entry; never blocks the request on a database round trip.</summary>
    void Append(LedgerEntry entry);

    /// <summary>Waits until every entry appended before this call is stored.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest entries, newest first.</summary>
    Task<IReadOnlyList<LedgerEntry>> RecentAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Requests, tokens and cost of the entries <paramref name="query"/> selects, one row per group, ordered by group.</summary>
    Task<IReadOnlyList<UsageRow>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not summarize usage.");

    /// <summary>The entries <paramref name="query"/> selects, newest first, one page at a time.</summary>
    Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not query entries.");

    /// <summary>Usage summed per time bucket and group, ordered by bucket then group; empty buckets are left out.</summary>
    Task<IReadOnlyList<UsageBucket>> SeriesAsync(SeriesQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not sum usage over time.");

    /// <summary>Error counts and latency percentiles of the entries <paramref name="query"/> selects, one row per group.</summary>
    Task<IReadOnlyList<LatencyRow>> LatencyAsync(UsageQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not compute latency.");
}
