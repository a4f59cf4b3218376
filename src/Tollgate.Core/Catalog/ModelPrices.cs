namespace Tollgate.Core.Catalog;

/// <summary>Prices in USD per 1M tokens. A null price means the provider does not offer it.</summary>
public sealed record ModelPrices
{
    public decimal Input { get; init; }
    public decimal? CachedInput { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("cache_write_5m")]
    public decimal? CacheWrite5m { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("cache_write_1h")]
    public decimal? CacheWrite1h { get; init; }
    public decimal Output { get; init; }
    public decimal? InputAudio { get; init; }
    public decimal? OutputAudio { get; init; }

    /// <summary>Batch, flex and priority prices, where the provider sells them.</summary>
    public TierPrices? Batch { get; init; }
    public TierPrices? Flex { get; init; }
    public TierPrices? Priority { get; init; }

    /// <summary>Higher rates that apply when a request's prompt passes a threshold.</summary>
    public LongContextPrices? LongContext { get; init; }
}

/// <summary>Prices of a service tier (batch, flex, priority), USD per 1M tokens.</summary>
public sealed record TierPrices
{
    public decimal Input { get; init; }
    public decimal? CachedInput { get; init; }
    public decimal Output { get; init; }

    /// <summary>
    /// This tier's own rates past a prompt-size threshold (whole request only), where the provider prices
    /// them: Gemini's batch prompt-size tiers, Anthropic's batch discount on long-context rates.
    /// </summary>
    public LongContextPrices? LongContext { get; init; }
}

/// <summary>
/// Long-context rates. When the prompt (uncached + cache reads + cache writes) passes
/// <see cref="ThresholdTokens"/>: with <see cref="WholeRequest"/> every token of the request is
/// billed at these rates (Anthropic's 200K rule, Gemini's prompt-size tiers); without it only the
/// input tokens past the threshold are.
/// </summary>
public sealed record LongContextPrices
{
    public long ThresholdTokens { get; init; }
    public bool WholeRequest { get; init; } = true;
    public decimal Input { get; init; }
    public decimal? CachedInput { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("cache_write_5m")]
    public decimal? CacheWrite5m { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("cache_write_1h")]
    public decimal? CacheWrite1h { get; init; }
    public decimal Output { get; init; }
}
