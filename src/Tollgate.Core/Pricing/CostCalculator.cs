using Tollgate.Core.Catalog;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Pricing;

/// <summary>
/// Turns normalized usage into money, using only the catalog's prices:
/// <list type="bullet">
/// <item>uncached input, cache reads, 5-minute and 1-hour cache writes and output each at their own rate;
/// a rate the model lacks falls back to the plain input rate (cache reads, cache writes, audio and image input) or
/// output rate (audio, image and reasoning output);</item>
/// <item>reasoning, audio and image tokens are parts of the input or output counts, billed once at their own rate;</item>
/// <item>past a long-context threshold, either the whole request is billed at the long-context rates
/// (Anthropic, Gemini; with several tiers the highest threshold passed wins) or only the input tokens past the
/// threshold are;</item>
/// <item>batch / flex / priority use that tier's input, cached-input and output rates; cache writes stay at
/// the standard rate unless the tier has its own. Past a threshold a tier uses its own long-context rates for the
/// whole request where it has them (Gemini batch, Anthropic batch, OpenAI priority); the standard tier's
/// long-context rates never apply to other tiers;</item>
/// <item>units (images, characters, seconds, queries, requests, web searches) at the model's unit prices, the same
/// in every tier; a reported unit without a price is listed in <see cref="Cost.Unpriced"/>, not billed.</item>
/// </list>
/// </summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>Whether <paramref name="model"/> is sold at <paramref name="tier"/>.</summary>
    public static bool Offers(ModelEntry model, ServiceTier tier) => tier switch
    {
        ServiceTier.Standard => true,
        ServiceTier.Batch => model.Prices.Batch is not null,
        ServiceTier.Flex => model.Prices.Flex is not null,
        ServiceTier.Priority => model.Prices.Priority is not null,
        _ => false,
    };

    /// <summary>The cost of <paramref name="usage"/> on <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model is not sold at <paramref name="tier"/> (check <see cref="Offers"/>).</exception>
    public static Cost Calculate(ModelEntry model, TokenUsage usage, ServiceTier tier = ServiceTier.Standard) =>
        Calculate(model, usage, UnitUsage.None, tier);

    /// <summary>The cost of <paramref name="usage"/> and <paramref name="units"/> on <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model is not sold at <paramref name="tier"/> (check <see cref="Offers"/>).</exception>
    public static Cost Calculate(ModelEntry model, TokenUsage usage, UnitUsage units, ServiceTier tier = ServiceTier.Standard)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(units);
        var p = model.Prices;
        var tokens = tier == ServiceTier.Standard ? Standard(p, usage) : Tiered(model, p, usage, tier);
        if (ReferenceEquals(units, UnitUsage.None))
        {
            return tokens;
        }

        var unpriced = new List<string>();
        var unitCost = UnitCost(p.Units, units, unpriced);
        return tokens with { Units = unitCost, Unpriced = unpriced.Count == 0 ? [] : unpriced };
    }

    /// <summary>
    /// The most a call of <paramref name="promptTokens"/> prompt tokens and <paramref name="outputTokens"/> output tokens
    /// can cost in tokens at <paramref name="tier"/> (the standard tier when the model does not sell that one): every
    /// prompt token at the dearest input-side rate (uncached, audio, image, cache read, 5-minute and 1-hour write) and
    /// every output token at the dearest output-side rate (text, reasoning, audio, image), with the long-context rates
    /// of every threshold the prompt passes. No split of that usage among the kinds costs more, so a budget reservation
    /// of this amount holds whatever the provider reports. Unit prices are not included: they depend on counts only
    /// the request knows (images asked for, seconds of audio).
    /// </summary>
    public static decimal UpperBound(ModelEntry model, long promptTokens, long outputTokens, ServiceTier tier = ServiceTier.Standard)
    {
        ArgumentNullException.ThrowIfNull(model);
        var p = model.Prices;
        decimal dearestIn = 0m, dearestOut = 0m;
        void Consider(in Rates r)
        {
            dearestIn = Math.Max(dearestIn, Math.Max(Math.Max(Math.Max(r.Input, r.InputAudio), Math.Max(r.InputImage, r.CachedInput)), Math.Max(r.CachedInputAudio, Math.Max(r.CacheWrite5m, r.CacheWrite1h))));
            dearestOut = Math.Max(dearestOut, Math.Max(Math.Max(r.Output, r.OutputAudio), Math.Max(r.OutputImage, r.Reasoning)));
        }

        var t = Offers(model, tier) ? tier switch
        {
            ServiceTier.Batch => p.Batch,
            ServiceTier.Flex => p.Flex,
            ServiceTier.Priority => p.Priority,
            _ => null,
        } : null;
        if (t is null)
        {
            Consider(StandardRates(p));
            foreach (var lc in (p.LongContextTiers ?? []).Prepend(p.LongContext))
            {
                if (lc is not null && promptTokens > lc.ThresholdTokens)
                {
                    Consider(LongContextRates(lc, lc.CacheWrite5m ?? lc.Input, lc.CacheWrite1h ?? lc.Input));
                }
            }
        }
        else
        {
            var rates = TierRates(p, t);
            Consider(rates);
            if (t.LongContext is { } tlc && promptTokens > tlc.ThresholdTokens)
            {
                Consider(LongContextRates(tlc, tlc.CacheWrite5m ?? rates.CacheWrite5m, tlc.CacheWrite1h ?? rates.CacheWrite1h));
            }
        }

        return Money(promptTokens, dearestIn) + Money(outputTokens, dearestOut);
    }

    /// <summary>The price of one generated image of <paramref name="quality"/> and <paramref name="size"/>, or null if none fits.</summary>
    /// <remarks>
    /// In order: the listed price of that quality and size; the listed price of that size for any quality; the
    /// model's flat per-image price; its per-pixel price times the size; else the dearest listed price of that
    /// quality, or of any, so an image of an unlisted size or quality is never billed below what the model charges.
    /// </remarks>
    public static decimal? ImagePrice(UnitPrices? prices, string? quality, string? size)
    {
        if (prices is null)
        {
            return null;
        }

        var normalized = size?.Replace("-x-", "x", StringComparison.Ordinal).ToLowerInvariant();
        var list = prices.Images ?? [];
        ImagePrice? anyQuality = null;
        decimal? dearestOfQuality = null;
        decimal? dearest = null;
        foreach (var image in list)
        {
            var sameQuality = quality is not null && string.Equals(image.Quality, quality, StringComparison.OrdinalIgnoreCase);
            if (image.Size == normalized)
            {
                if (sameQuality)
                {
                    return image.Price;
                }

                if (image.Quality is null)
                {
                    anyQuality = image;
                }
            }

            if (sameQuality && (dearestOfQuality is null || image.Price > dearestOfQuality))
            {
                dearestOfQuality = image.Price;
            }

            if (dearest is null || image.Price > dearest)
            {
                dearest = image.Price;
            }
        }

        if (anyQuality is not null)
        {
            return anyQuality.Price;
        }

        if (prices.Image is { } flat)
        {
            return flat;
        }

        if (prices.Pixel is { } pixel && Pixels(normalized) is { } count)
        {
            return pixel * count;
        }

        return dearestOfQuality ?? dearest;
    }

    private static Cost Standard(ModelPrices p, TokenUsage usage)
    {
        var lc = PassedTier(p, usage.PromptTokens);
        if (lc is null)
        {
            return Bill(StandardRates(p), usage, ServiceTier.Standard, longContext: false);
        }

        if (lc.WholeRequest)
        {
            return Bill(LongContextRates(lc, lc.CacheWrite5m ?? lc.Input, lc.CacheWrite1h ?? lc.Input), usage, ServiceTier.Standard, longContext: true);
        }

        // Only the uncached input past the threshold costs more; audio and image tokens are counted among the first.
        var over = Math.Min(usage.InputTokens, usage.PromptTokens - lc.ThresholdTokens);
        var under = usage.InputTokens - over;
        var audioUnder = Math.Min(usage.InputAudioTokens, under);
        var below = usage with
        {
            InputTokens = under,
            InputAudioTokens = audioUnder,
            InputImageTokens = Math.Min(usage.InputImageTokens, under - audioUnder),
        };
        var standard = Bill(StandardRates(p), below, ServiceTier.Standard, longContext: true);
        return standard with { Input = standard.Input + Money(over, lc.Input) };
    }

    private static Cost Tiered(ModelEntry model, ModelPrices p, TokenUsage usage, ServiceTier tier)
    {
        var t = tier switch
        {
            ServiceTier.Batch => p.Batch,
            ServiceTier.Flex => p.Flex,
            ServiceTier.Priority => p.Priority,
            _ => null,
        } ?? throw new ArgumentException($"{model.Id} has no {tier.ToString().ToLowerInvariant()} prices.", nameof(tier));

        var rates = TierRates(p, t);
        if (t.LongContext is { } tlc && usage.PromptTokens > tlc.ThresholdTokens)
        {
            return Bill(LongContextRates(tlc, tlc.CacheWrite5m ?? rates.CacheWrite5m, tlc.CacheWrite1h ?? rates.CacheWrite1h), usage, tier, longContext: true);
        }

        return Bill(rates, usage, tier, longContext: false);
    }

    /// <summary>A tier's rates: its own where it has them, the standard cache-write rates otherwise.</summary>
    private static Rates TierRates(ModelPrices p, TierPrices t) => new()
    {
        Input = t.Input,
        InputAudio = t.InputAudio ?? t.Input,
        InputImage = t.Input,
        CachedInput = t.CachedInput ?? t.Input,
        CachedInputAudio = t.CachedInput ?? t.Input,
        CacheWrite5m = t.CacheWrite5m ?? p.CacheWrite5m ?? p.Input,
        CacheWrite1h = p.CacheWrite1h ?? p.Input,
        Output = t.Output,
        OutputAudio = t.Output,
        OutputImage = t.Output,
        Reasoning = t.Output,
    };

    /// <summary>The long-context tier whose threshold is the highest the prompt passes, if any.</summary>
    private static LongContextPrices? PassedTier(ModelPrices p, long promptTokens)
    {
        LongContextPrices? passed = p.LongContext is { } first && promptTokens > first.ThresholdTokens ? first : null;
        if (p.LongContextTiers is { } tiers)
        {
            foreach (var tier in tiers)
            {
                if (promptTokens > tier.ThresholdTokens && (passed is null || tier.ThresholdTokens > passed.ThresholdTokens))
                {
                    passed = tier;
                }
            }
        }

        return passed;
    }

    private static Rates StandardRates(ModelPrices p) => new()
    {
        Input = p.Input,
        InputAudio = p.InputAudio ?? p.Input,
        InputImage = p.InputImage ?? p.Input,
        CachedInput = p.CachedInput ?? p.Input,
        CachedInputAudio = p.CachedInputAudio ?? p.CachedInput ?? p.Input,
        CacheWrite5m = p.CacheWrite5m ?? p.Input,
        CacheWrite1h = p.CacheWrite1h ?? p.Input,
        Output = p.Output,
        OutputAudio = p.OutputAudio ?? p.Output,
        OutputImage = p.OutputImage ?? p.Output,
        Reasoning = p.Reasoning ?? p.Output,
    };

    /// <summary>Past a whole-request threshold every input kind is billed at the long-context input rate, every output kind at its output rate.</summary>
    private static Rates LongContextRates(LongContextPrices lc, decimal write5m, decimal write1h) => new()
    {
        Input = lc.Input,
        InputAudio = lc.Input,
        InputImage = lc.Input,
        CachedInput = lc.CachedInput ?? lc.Input,
        CachedInputAudio = lc.CachedInput ?? lc.Input,
        CacheWrite5m = write5m,
        CacheWrite1h = write1h,
        Output = lc.Output,
        OutputAudio = lc.Output,
        OutputImage = lc.Output,
        Reasoning = lc.Reasoning ?? lc.Output,
    };

    private static Cost Bill(in Rates r, TokenUsage usage, ServiceTier tier, bool longContext)
    {
        // The parts are clamped to their whole, so a provider that reports a part larger than the whole is never billed twice.
        var audioIn = Math.Min(usage.InputAudioTokens, usage.InputTokens);
        var imageIn = Math.Min(usage.InputImageTokens, usage.InputTokens - audioIn);
        var audioCached = Math.Min(usage.CacheReadAudioTokens, usage.CacheReadTokens);
        var audioOut = Math.Min(usage.OutputAudioTokens, usage.OutputTokens);
        var imageOut = Math.Min(usage.OutputImageTokens, usage.OutputTokens - audioOut);
        var reasoning = Math.Min(usage.ReasoningTokens, usage.OutputTokens - audioOut - imageOut);
        var text = usage.OutputTokens - audioOut - imageOut - reasoning;
        return new Cost
        {
            Input = Money(usage.InputTokens - audioIn - imageIn, r.Input) + Money(audioIn, r.InputAudio) + Money(imageIn, r.InputImage),
            CacheRead = Money(usage.CacheReadTokens - audioCached, r.CachedInput) + Money(audioCached, r.CachedInputAudio),
            CacheWrite = Money(usage.CacheWrite5mTokens, r.CacheWrite5m) + Money(usage.CacheWrite1hTokens, r.CacheWrite1h),
            Output = Money(text, r.Output) + Money(reasoning, r.Reasoning) + Money(audioOut, r.OutputAudio) + Money(imageOut, r.OutputImage),
            Tier = tier,
            LongContext = longContext,
        };
    }

    private static decimal UnitCost(UnitPrices? u, UnitUsage units, List<string> unpriced)
    {
        var total = 0m;
        if (units.Images > 0)
        {
            total += Units(units.Images, ImagePrice(u, units.ImageQuality, units.ImageSize), "images", unpriced);
        }

        total += Units(units.InputImages, u?.InputImage, "input_images", unpriced);
        total += Units(units.InputCharacters, u?.InputCharacter, "input_characters", unpriced);
        total += Units(units.OutputCharacters, u?.OutputCharacter, "output_characters", unpriced);
        total += Units(units.InputAudioSeconds, u?.InputAudioSecond, "input_audio_seconds", unpriced);
        total += Units(units.InputVideoSeconds, u?.InputVideoSecond, "input_video_seconds", unpriced);
        total += Units(units.OutputSeconds, u?.OutputSecond, "output_seconds", unpriced);
        total += Units(units.Queries, u?.Query, "queries", unpriced);
        total += Units(units.Requests, u?.Request, "requests", unpriced);
        if (units.WebSearches > 0)
        {
            var search = u?.WebSearch;
            var price = search is null ? (decimal?)null : units.SearchContextSize?.ToLowerInvariant() switch
            {
                "low" => search.Low,
                "high" => search.High,
                _ => search.Medium,
            };
            total += Units(units.WebSearches, price, "web_searches", unpriced);
        }

        return total;
    }

    private static decimal Units(decimal count, decimal? price, string name, List<string> unpriced)
    {
        if (count <= 0)
        {
            return 0m;
        }

        if (price is null)
        {
            unpriced.Add(name);
            return 0m;
        }

        return count * price.Value;
    }

    private static long? Pixels(string? size)
    {
        var x = size?.IndexOf('x', StringComparison.Ordinal) ?? -1;
        return x > 0
            && long.TryParse(size.AsSpan(0, x), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var w)
            && long.TryParse(size.AsSpan(x + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h)
            ? w * h
            : null;
    }

    private static decimal Money(long tokens, decimal pricePerMillion) =>
        tokens == 0 ? 0m : tokens * pricePerMillion / PerMillion;

    /// <summary>The per-token rates, USD per 1M, that one request is billed at once tier and long context are settled.</summary>
    private readonly record struct Rates
    {
        public decimal Input { get; init; }
        public decimal InputAudio { get; init; }
        public decimal InputImage { get; init; }
        public decimal CachedInput { get; init; }
        public decimal CachedInputAudio { get; init; }
        public decimal CacheWrite5m { get; init; }
        public decimal CacheWrite1h { get; init; }
        public decimal Output { get; init; }
        public decimal OutputAudio { get; init; }
        public decimal OutputImage { get; init; }
        public decimal Reasoning { get; init; }
    }
}
