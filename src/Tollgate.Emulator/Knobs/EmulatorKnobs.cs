namespace Tollgate.Emulator.Knobs;

/// <summary>The per-request knobs after merging directive, body field and headers. Null means "not set".</summary>
internal sealed record EmulatorKnobs
{
    public static EmulatorKnobs None { get; } = new();

    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
    public long? CachedTokens { get; init; }

    /// <summary>Prompt tokens written to a 5-minute cache (reported by the Anthropic dialect only).</summary>
    public long? CacheWrite5mTokens { get; init; }

    /// <summary>Prompt tokens written to a 1-hour cache (reported by the Anthropic dialect only).</summary>
    public long? CacheWrite1hTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    public int? LatencyMs { get; init; }
    public int? TtftMs { get; init; }
    public double? TokensPerSecond { get; init; }
    public int? Chunks { get; init; }
    public int? Status { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public EmulatorFault Fault { get; init; }
    public string? Tool { get; init; }
    public string? Reply { get; init; }

    /// <summary>A recording to serve verbatim, e.g. <c>anthropic/anthropic-text</c>.</summary>
    public string? Replay { get; init; }
}
