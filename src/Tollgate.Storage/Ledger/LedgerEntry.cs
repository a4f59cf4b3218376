namespace Tollgate.Storage.Ledger;

/// <summary>One request as the ledger keeps it, successful or not.</summary>
public sealed record LedgerEntry
{
    public required string Id { get; init; }
    public required DateTimeOffset Time { get; init; }

    /// <summary>The key that made the request (null for the master key).</summary>
    public string? KeyId { get; init; }

    /// <summary><c>chat</c>, <c>embeddings</c>, ...</summary>
    public required string Endpoint { get; init; }
    public string? Provider { get; init; }

    /// <summary>The model as the catalog names it (or as the client sent it when unknown).</summary>
    public string? Model { get; init; }
    public bool Stream { get; init; }
    public int Status { get; init; }
    public string? ErrorType { get; init; }
    public double LatencyMs { get; init; }
    public double? TtftMs { get; init; }
    public long InputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long OutputTokens { get; init; }
    public long ReasoningTokens { get; init; }

    /// <summary>USD; null when the model has no price (unpriced) or no usage is known.</summary>
    public decimal? Cost { get; init; }

    /// <summary>
    /// USD at the catalog price when it differs from <see cref="Cost"/>: what a free-tier request would have cost, so
    /// the savings are visible. Null otherwise.
    /// </summary>
    public decimal? ListCost { get; init; }

    /// <summary>
    /// USD the request cost beyond what admission allowed it, set only when the provider reported more output than
    /// the request's output limit (or the cost passed the budget reservation): the excess over the reservation, or
    /// without a budget the cost of the output past the limit (0 when there was none). Null for every well-behaved
    /// request.
    /// </summary>
    public decimal? OverReserved { get; init; }

    /// <summary>
    /// Every attempt sent upstream for this request, in order (the last is the one that answered or failed last);
    /// empty when the request was refused before it was sent. Record equality compares this list by reference.
    /// </summary>
    public IReadOnlyList<LedgerAttempt> Attempts { get; init; } = [];

    /// <summary>True when usage was counted by Tollgate's tokenizer because the provider reported none.</summary>
    public bool Estimated { get; init; }

    /// <summary>True when the catalog has no price for the model.</summary>
    public bool Unpriced { get; init; }
}
