using System.Text.Json.Serialization;

namespace Tollgate.Core.Catalog;

/// <summary>
/// Prices of one model: per-token rates in USD per 1M tokens, and per-unit rates (images, characters, seconds,
/// queries) in <see cref="Units"/>. A null price means the provider does not sell that kind separately; the cost
/// calculator then falls back to the plain input or output rate (see <see cref="Pricing.CostCalculator"/>).
/// </summary>
public sealed record ModelPrices
{
    /// <summary>Uncached text input.</summary>
    public decimal Input { get; init; }

    /// <summary>Input read from the prompt cache.</summary>
    public decimal? CachedInput { get; init; }

    /// <summary>Input written to a cache that lives 5 minutes (Anthropic's default write).</summary>
    [JsonPropertyName("cache_write_5m")]
    public decimal? CacheWrite5m { get; init; }

    /// <summary>Input written to a cache that lives 1 hour.</summary>
    [JsonPropertyName("cache_write_1h")]
    public decimal? CacheWrite1h { get; init; }

    /// <summary>Text output (reasoning included unless <see cref="Reasoning"/> prices it apart).</summary>
    public decimal Output { get; init; }

    /// <summary>Reasoning tokens, where they cost other than output (some Gemini and Qwen models).</summary>
    public decimal? Reasoning { get; init; }

    /// <summary>Uncached audio input tokens.</summary>
    public decimal? InputAudio { get; init; }

    /// <summary>Audio input tokens read from the prompt cache (OpenAI's realtime and audio models).</summary>
    public decimal? CachedInputAudio { get; init; }

    /// <summary>Audio output tokens.</summary>
    public decimal? OutputAudio { get; init; }

    /// <summary>Image input tokens (gpt-image's image inputs).</summary>
    public decimal? InputImage { get; init; }

    /// <summary>Image output tokens (gpt-image, Gemini's image models).</summary>
    public decimal? OutputImage { get; init; }

    /// <summary>Batch, flex and priority prices, where the provider sells them.</summary>
    public TierPrices? Batch { get; init; }

    public TierPrices? Flex { get; init; }

    public TierPrices? Priority { get; init; }

    /// <summary>Higher rates that apply when a request's prompt passes a threshold.</summary>
    public LongContextPrices? LongContext { get; init; }

    /// <summary>
    /// Further whole-request tiers above <see cref="LongContext"/>'s threshold, in rising order (Qwen's and Doubao's
    /// 32K / 128K / 256K steps). The tier with the highest threshold the prompt passes applies.
    /// </summary>
    public IReadOnlyList<LongContextPrices>? LongContextTiers { get; init => field = ValueList<LongContextPrices>.From(value); }

    /// <summary>Prices per image, character, second, query or request, in USD per unit.</summary>
    public UnitPrices? Units { get; init; }
}
