namespace Tollgate.Storage.Ledger;

/// <summary>
/// Which entries <see cref="ILedger.QueryAsync"/> returns: every filter that is set must match. Entries come newest
/// first (in the order they were stored), <see cref="Limit"/> at a time; <see cref="Cursor"/> continues after the
/// last entry of the previous page.
/// </summary>
public sealed record LedgerQuery
{
    /// <summary>Requests that started at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Requests that started before this instant (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this key's entries (its prefix, or <c>public</c>); null for all keys.</summary>
    public string? KeyId { get; init; }

    /// <summary>The model as the ledger names it (<c>provider/model</c> for catalog models).</summary>
    public string? Model { get; init; }
    public string? Provider { get; init; }

    /// <summary>Only the entry with this request id.</summary>
    public string? Id { get; init; }

    /// <summary>Lowest HTTP status to include (inclusive).</summary>
    public int? MinStatus { get; init; }

    /// <summary>Highest HTTP status to include (inclusive).</summary>
    public int? MaxStatus { get; init; }

    /// <summary>How many entries a page holds at most.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>The <see cref="LedgerPage.NextCursor"/> of the previous page; null for the first page.</summary>
    public string? Cursor { get; init; }
}
