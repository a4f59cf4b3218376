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

    /// <summary>How long <c>fault=stall_stream</c> waits after the first chunk; null waits until the client gives up.</summary>
    public int? StallMs { get; init; }

    /// <summary>How long <c>fault=stall_stream</c> waits: <see cref="StallMs"/>, or until the client gives up.</summary>
    public TimeSpan StallDuration => StallMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Timeout.InfiniteTimeSpan;

    /// <summary>The model's context window: a prompt of more tokens is answered with the context-length error.</summary>
    public long? ContextWindow { get; init; }
    public string? Tool { get; init; }

    /// <summary>The arguments of the tool call, a JSON object (compact, so it fits a directive), instead of the ones built from the schema.</summary>
    public string? ToolArgs { get; init; }
    public string? Reply { get; init; }

    /// <summary>A recording to serve verbatim, e.g. <c>anthropic/anthropic-text</c>.</summary>
    public string? Replay { get; init; }
}
