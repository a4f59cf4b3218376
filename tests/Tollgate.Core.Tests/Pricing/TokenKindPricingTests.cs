using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Tests.Pricing;

/// <summary>
/// The per-token rules added for the community catalog: reasoning, image and cached-audio rates, several
/// long-context tiers, and tier-specific cache-write, audio and long-context rates. Every amount is worked out by
/// hand in the comment above it.
/// </summary>
public sealed class TokenKindPricingTests
{
    [Fact]
    public void Calculate_ReasoningRate_BillsReasoningApartFromTheRestOfTheOutput()
    {
        // perplexity/sonar-deep-research: $2 in, $8 out, $3 reasoning per 1M.
        // 1,000 in x 2 / 1M = 0.002; output 5,000 of which 4,000 reasoning: 1,000 x 8 / 1M = 0.008, 4,000 x 3 / 1M = 0.012.
        // Output 0.02, total 0.022.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("perplexity", "sonar-deep-research"),
            new TokenUsage { InputTokens = 1_000, OutputTokens = 5_000, ReasoningTokens = 4_000 });

        Assert.Equal(0.002m, cost.Input);
        Assert.Equal(0.02m, cost.Output);
        Assert.Equal(0.022m, cost.Total);
    }

    [Fact]
    public void Calculate_NoReasoningRate_ReasoningIsPlainOutput()
    {
        // gpt-4o: $10 out. 2,000 output (1,500 of them reasoning) x 10 / 1M = 0.02, whatever the split.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("openai", "gpt-4o"), new TokenUsage { OutputTokens = 2_000, ReasoningTokens = 1_500 });

        Assert.Equal(0.02m, cost.Output);
    }

    [Fact]
    public void Calculate_ImageTokens_InputAndOutputAtTheImageRates()
    {
        // gpt-image-2: text in $5, image in $8, cached $1.25, text out $10, image out $30 per 1M.
        // Input 1,500 of which 1,000 image: 500 x 5 / 1M = 0.0025 + 1,000 x 8 / 1M = 0.008 -> 0.0105.
        // Cached 400 x 1.25 / 1M = 0.0005. Output 4,200 of which 4,160 image: 40 x 10 / 1M = 0.0004 + 4,160 x 30 / 1M = 0.1248 -> 0.1252.
        // Total 0.0105 + 0.0005 + 0.1252 = 0.1362.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("openai", "gpt-image-2"), new TokenUsage
        {
            InputTokens = 1_500,
            InputImageTokens = 1_000,
            CacheReadTokens = 400,
            OutputTokens = 4_200,
            OutputImageTokens = 4_160,
        });

        Assert.Equal(0.0105m, cost.Input);
        Assert.Equal(0.0005m, cost.CacheRead);
        Assert.Equal(0.1252m, cost.Output);
        Assert.Equal(0.1362m, cost.Total);
    }

    [Fact]
    public void Calculate_CachedAudio_AtTheCachedAudioRate()
    {
        // In: $4 text, $32 audio, cached text $0.40, cached audio $2.50.
        // Cache reads 10,000 of which 6,000 audio: 4,000 x 0.40 / 1M = 0.0016 + 6,000 x 2.50 / 1M = 0.015 -> 0.0166.
        var model = Model(new ModelPrices { Input = 4m, InputAudio = 32m, CachedInput = 0.4m, CachedInputAudio = 2.5m, Output = 16m });

        var cost = CostCalculator.Calculate(model, new TokenUsage { CacheReadTokens = 10_000, CacheReadAudioTokens = 6_000 });

        Assert.Equal(0.0166m, cost.CacheRead);
    }

    [Fact]
    public void Calculate_PartsLargerThanTheirWhole_AreClampedNotBilledTwice()
    {
        // A provider reporting 900 audio tokens of 500 input: all 500 are audio, at $32 -> 500 x 32 / 1M = 0.016.
        var model = Model(new ModelPrices { Input = 4m, InputAudio = 32m, Output = 16m });

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 500, InputAudioTokens = 900, InputImageTokens = 300 });

        Assert.Equal(0.016m, cost.Input);
    }

    [Theory]
    // dashscope/qwen3-max: below 32K $1.20 / $6; from 32K $2.40 / $12; from 128K $3 / $15 (whole request).
    // 10,000 in + 1,000 out: 10,000 x 1.2 / 1M = 0.012 + 1,000 x 6 / 1M = 0.006 -> 0.018.
    [InlineData(10_000, "0.018", false)]
    // 32,000 in is not past 32,000: still the base rates. 32,000 x 1.2 / 1M = 0.0384 + 0.006 -> 0.0444.
    [InlineData(32_000, "0.0444", false)]
    // 100,000 in: 100,000 x 2.4 / 1M = 0.24 + 1,000 x 12 / 1M = 0.012 -> 0.252.
    [InlineData(100_000, "0.252", true)]
    // 200,000 in: the 128K tier. 200,000 x 3 / 1M = 0.6 + 1,000 x 15 / 1M = 0.015 -> 0.615.
    [InlineData(200_000, "0.615", true)]
    public void Calculate_SeveralLongContextTiers_HighestPassedThresholdWins(long input, string total, bool longContext)
    {
        var cost = CostCalculator.Calculate(BuiltInModel.Find("dashscope", "qwen3-max"), new TokenUsage { InputTokens = input, OutputTokens = 1_000 });

        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), cost.Total);
        Assert.Equal(longContext, cost.LongContext);
    }

    [Fact]
    public void Calculate_LongContextReasoningRate_AppliesPastTheThreshold()
    {
        // dashscope/qwen-plus-latest above 256K: $1.20 in, $3.60 out, $12 reasoning.
        // 300,000 in x 1.2 / 1M = 0.36; 2,000 out of which 1,000 reasoning: 1,000 x 3.6 / 1M = 0.0036 + 1,000 x 12 / 1M = 0.012.
        // Total 0.36 + 0.0156 = 0.3756.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("dashscope", "qwen-plus-latest"),
            new TokenUsage { InputTokens = 300_000, OutputTokens = 2_000, ReasoningTokens = 1_000 });

        Assert.Equal(0.36m, cost.Input);
        Assert.Equal(0.0156m, cost.Output);
        Assert.Equal(0.3756m, cost.Total);
        Assert.True(cost.LongContext);
    }

    [Fact]
    public void Calculate_PriorityPastItsThreshold_UsesThePriorityLongContextRates()
    {
        // Priority $2.50 / $15, priority above 200K $5 / $22.50 (the shape of LiteLLM's *_above_200k_tokens_priority).
        // Above: 250,000 in x 5 / 1M = 1.25 + 1,000 out x 22.5 / 1M = 0.0225 -> 1.2725.
        var model = Model(new ModelPrices
        {
            Input = 1.25m,
            Output = 10m,
            Priority = new TierPrices
            {
                Input = 2.5m,
                Output = 15m,
                LongContext = new LongContextPrices { ThresholdTokens = 200_000, Input = 5m, Output = 22.5m },
            },
        });

        var below = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 100_000, OutputTokens = 1_000 }, ServiceTier.Priority);
        var above = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 250_000, OutputTokens = 1_000 }, ServiceTier.Priority);

        // Below: 100,000 x 2.5 / 1M = 0.25 + 1,000 x 15 / 1M = 0.015 -> 0.265.
        Assert.Equal(0.265m, below.Total);
        Assert.Equal(1.2725m, above.Total);
        Assert.True(above.LongContext);
        Assert.Equal(ServiceTier.Priority, above.Tier);
    }

    [Fact]
    public void Calculate_TierWithItsOwnCacheWriteAndAudioRates_UsesThem()
    {
        // Flex: in $0.625, 5m write $0.70 (standard $1.50), audio in $16 (standard $32).
        // 1,000 in of which 400 audio: 600 x 0.625 / 1M = 0.000375 + 400 x 16 / 1M = 0.0064 -> 0.006775.
        // 2,000 written x 0.70 / 1M = 0.0014.
        var model = Model(new ModelPrices
        {
            Input = 1.25m,
            InputAudio = 32m,
            CacheWrite5m = 1.5m,
            Output = 10m,
            Flex = new TierPrices { Input = 0.625m, CacheWrite5m = 0.7m, InputAudio = 16m, Output = 5m },
        });

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 1_000, InputAudioTokens = 400, CacheWrite5mTokens = 2_000 }, ServiceTier.Flex);

        Assert.Equal(0.006775m, cost.Input);
        Assert.Equal(0.0014m, cost.CacheWrite);
    }

    [Fact]
    public void Calculate_TierWithoutItsOwnAudioRate_BillsAudioAtTheTierInputRate()
    {
        // Batch in $1.25; 1,000 input tokens of which 600 audio all at 1.25 -> 1,000 x 1.25 / 1M = 0.00125.
        var model = Model(new ModelPrices { Input = 2.5m, InputAudio = 40m, Output = 10m, Batch = new TierPrices { Input = 1.25m, Output = 5m } });

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 1_000, InputAudioTokens = 600 }, ServiceTier.Batch);

        Assert.Equal(0.00125m, cost.Input);
    }

    private static ModelEntry Model(ModelPrices prices) => new() { Provider = "test", Model = "m", Prices = prices };
}
