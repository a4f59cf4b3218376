using Tollgate.Core.Catalog;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Pricing;

/// <summary>
/// Turns normalized usage into money, using only the catalog's prices:
/// <list type="bullet">
/// <item>uncached input, cache reads, 5-minute and 1-hour cache writes and output each at their own rate;
/// a rate the model lacks falls back to the plain input rate (cache reads, cache writes, audio input) or
/// output rate (audio output);</item>
/// <item>reasoning tokens are already inside output tokens and are not added again;</item>
/// <item>past a long-context threshold, either the whole request is billed at the long-context rates
/// (Anthropic, Gemini) or only the input tokens past the threshold are;</item>
/// <item>batch / flex / priority use that tier's input, cached-input and output rates; cache writes stay at
/// the standard rate. Past a threshold a tier uses its own long-context rates for the whole request where it
/// has them (Gemini batch, Anthropic batch); the standard tier's long-context rates never apply to other tiers.</item>
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
    public static Cost Calculate(ModelEntry model, TokenUsage usage, ServiceTier tier = ServiceTier.Standard)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(usage);
        var p = model.Prices;

        if (tier != ServiceTier.Standard)
        {
            var t = tier switch
            {
                ServiceTier.Batch => p.Batch,
                ServiceTier.Flex => p.Flex,
                ServiceTier.Priority => p.Priority,
                _ => null,
            } ?? throw new ArgumentException($"{model.Id} has no {tier.ToString().ToLowerInvariant()} prices.", nameof(tier));

            var tlc = t.LongContext;
            if (tlc is not null && usage.PromptTokens > tlc.ThresholdTokens)
            {
                return new Cost
                {
                    Input = Money(usage.InputTokens, tlc.Input),
                    CacheRead = Money(usage.CacheReadTokens, tlc.CachedInput ?? tlc.Input),
                    CacheWrite = Money(usage.CacheWrite5mTokens, tlc.CacheWrite5m ?? p.CacheWrite5m ?? p.Input) + Money(usage.CacheWrite1hTokens, tlc.CacheWrite1h ?? p.CacheWrite1h ?? p.Input),
                    Output = Money(usage.OutputTokens, tlc.Output),
                    Tier = tier,
                    LongContext = true,
                };
            }

            return new Cost
            {
                Input = Money(usage.InputTokens, t.Input),
                CacheRead = Money(usage.CacheReadTokens, t.CachedInput ?? t.Input),
                CacheWrite = Money(usage.CacheWrite5mTokens, p.CacheWrite5m ?? p.Input) + Money(usage.CacheWrite1hTokens, p.CacheWrite1h ?? p.Input),
                Output = Money(usage.OutputTokens, t.Output),
                Tier = tier,
            };
        }

        var lc = p.LongContext;
        if (lc is not null && usage.PromptTokens > lc.ThresholdTokens)
        {
            if (lc.WholeRequest)
            {
                return new Cost
                {
                    Input = Money(usage.InputTokens, lc.Input),
                    CacheRead = Money(usage.CacheReadTokens, lc.CachedInput ?? lc.Input),
                    CacheWrite = Money(usage.CacheWrite5mTokens, lc.CacheWrite5m ?? lc.Input) + Money(usage.CacheWrite1hTokens, lc.CacheWrite1h ?? lc.Input),
                    Output = Money(usage.OutputTokens, lc.Output),
                    LongContext = true,
                };
            }

            // Only the uncached input past the threshold costs more.
            var over = Math.Min(usage.InputTokens, usage.PromptTokens - lc.ThresholdTokens);
            var standard = Standard(p, usage with { InputTokens = usage.InputTokens - over, InputAudioTokens = Math.Min(usage.InputAudioTokens, usage.InputTokens - over) });
            return standard with { Input = standard.Input + Money(over, lc.Input), LongContext = true };
        }

        return Standard(p, usage);
    }

    private static Cost Standard(ModelPrices p, TokenUsage usage)
    {
        var audioIn = Math.Min(usage.InputAudioTokens, usage.InputTokens);
        var audioOut = Math.Min(usage.OutputAudioTokens, usage.OutputTokens);
        return new Cost
        {
            Input = Money(usage.InputTokens - audioIn, p.Input) + Money(audioIn, p.InputAudio ?? p.Input),
            CacheRead = Money(usage.CacheReadTokens, p.CachedInput ?? p.Input),
            CacheWrite = Money(usage.CacheWrite5mTokens, p.CacheWrite5m ?? p.Input) + Money(usage.CacheWrite1hTokens, p.CacheWrite1h ?? p.Input),
            Output = Money(usage.OutputTokens - audioOut, p.Output) + Money(audioOut, p.OutputAudio ?? p.Output),
        };
    }

    private static decimal Money(long tokens, decimal pricePerMillion) =>
        tokens == 0 ? 0m : tokens * pricePerMillion / PerMillion;
}
