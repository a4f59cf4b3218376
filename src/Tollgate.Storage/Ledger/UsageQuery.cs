namespace Tollgate.Storage.Ledger;

/// <summary>How <see cref="ILedger.SummarizeAsync"/> groups entries.</summary>
public enum UsageGroup
{
    /// <summary>One row for everything selected.</summary>
    None,
    Key,
    Model,
    Provider,

    /// <summary>The UTC calendar day of the request.</summary>
    Day,
}

/// <summary>Which entries to sum: <c>[From, To)</c>, optionally of one key only.</summary>
public sealed record UsageQuery
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this key's entries; null for all keys.</summary>
    public string? KeyId { get; init; }

    /// <summary>When true and <see cref="KeyId"/> is null, only entries of the master key (whose key id is null).</summary>
    public bool MasterOnly { get; init; }

    public UsageGroup GroupBy { get; init; }
}

/// <summary>Sums over a group of ledger entries. Costs are decimal sums of the entries' own costs.</summary>
public sealed record UsageRow
{
    /// <summary>The group's value (key id, model, provider or <c>yyyy-MM-dd</c>); null for the master key or no grouping.</summary>
    public string? Group { get; init; }
    public long Requests { get; init; }
    public long FailedRequests { get; init; }
    public long InputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long OutputTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public decimal Cost { get; init; }

    /// <summary>Entries whose model has no price: their tokens are counted, their cost is not.</summary>
    public long UnpricedRequests { get; init; }
}
