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
}
