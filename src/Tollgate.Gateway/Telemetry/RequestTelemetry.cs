namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// What telemetry learns of one settled request: the same facts as its ledger entry, never its content. Model names
/// are <c>provider/model</c> as the catalog has them; <see cref="KeyId"/> is a key's prefix (its id), never the key.
/// </summary>
public readonly record struct RequestTelemetry
{
    /// <summary>The GenAI operation: <c>chat</c>, <c>embeddings</c>, <c>messages</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>Tollgate's endpoint name as the ledger has it (<c>chat</c>, <c>embeddings</c>, <c>messages</c>).</summary>
    public required string Endpoint { get; init; }
    public string? Provider { get; init; }
    public string? RequestModel { get; init; }
    public string? ResponseModel { get; init; }

    /// <summary>The key's prefix, <c>public</c>, or null for the master key.</summary>
    public string? KeyId { get; init; }
    public int Status { get; init; }

    /// <summary>The error's type when the request failed (<c>rate_limit_exceeded</c>, <c>upstream_timeout</c>, ...).</summary>
    public string? ErrorType { get; init; }
    public TimeSpan Duration { get; init; }
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>All prompt tokens (uncached, cache reads and writes).</summary>
    public long InputTokens { get; init; }

    /// <summary>Of <see cref="InputTokens"/>, those read from the provider's cache.</summary>
    public long CacheReadTokens { get; init; }

    /// <summary>Of <see cref="InputTokens"/>, those written to the provider's cache.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>All output tokens, reasoning included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Of <see cref="OutputTokens"/>, the reasoning (thinking) ones.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>USD as the ledger charged it; null when unpriced.</summary>
    public decimal? Cost { get; init; }
}
