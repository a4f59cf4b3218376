using System.Text.Json.Serialization;

namespace Tollgate.Core.Catalog;

/// <summary>Prices of a service tier (batch, flex, priority), USD per 1M tokens.</summary>
public sealed record TierPrices
{
    public decimal Input { get; init; }

    public decimal? CachedInput { get; init; }

    /// <summary>This tier's 5-minute cache-write rate, where it has one; otherwise the standard one applies.</summary>
    [JsonPropertyName("cache_write_5m")]
    public decimal? CacheWrite5m { get; init; }

    /// <summary>This tier's audio input rate (OpenAI's priority audio); otherwise audio is billed at <see cref="Input"/>.</summary>
    public decimal? InputAudio { get; init; }

    public decimal Output { get; init; }

    /// <summary>
    /// This tier's own rates past a prompt-size threshold (whole request only), where the provider prices
    /// them: Gemini's batch prompt-size tiers, Anthropic's batch discount on long-context rates, OpenAI's
    /// priority and flex rates past 272K.
    /// </summary>
    public LongContextPrices? LongContext { get; init; }
}
