using Tollgate.Storage.Ledger;

namespace Tollgate.Benchmarks.Admission;

/// <summary>A ledger that keeps nothing: admission only reads it when a key's budget is seeded, which the benchmarks do not do.</summary>
internal sealed class NullLedger : ILedger
{
    public void Append(LedgerEntry entry)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<LedgerEntry>> RecentAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LedgerEntry>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
