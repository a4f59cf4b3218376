using System.Text.Json.Serialization;

namespace Tollgate.Core.Catalog;

/// <summary>
/// Long-context rates, USD per 1M tokens. When the prompt (uncached + cache reads + cache writes) passes
/// <see cref="ThresholdTokens"/>: with <see cref="WholeRequest"/> every token of the request is billed at these
/// rates (Anthropic's 200K rule, Gemini's prompt-size tiers); without it only the input tokens past the threshold are.
/// </summary>
public sealed record LongContextPrices
{
    public long ThresholdTokens { get; init; }

    public bool WholeRequest { get; init; } = true;

    public decimal Input { get; init; }

    public decimal? CachedInput { get; init; }

    [JsonPropertyName("cache_write_5m")]
    public decimal? CacheWrite5m { get; init; }

    [JsonPropertyName("cache_write_1h")]
    public decimal? CacheWrite1h { get; init; }

    public decimal Output { get; init; }

    /// <summary>Reasoning tokens past the threshold, where they cost other than output.</summary>
    public decimal? Reasoning { get; init; }
}
