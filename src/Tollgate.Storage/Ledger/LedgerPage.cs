namespace Tollgate.Storage.Ledger;

/// <summary>One page of ledger entries, newest first.</summary>
/// <param name="Entries">The page's entries.</param>
/// <param name="NextCursor">The <see cref="LedgerQuery.Cursor"/> of the next page; null when this is the last one.</param>
public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, string? NextCursor);
