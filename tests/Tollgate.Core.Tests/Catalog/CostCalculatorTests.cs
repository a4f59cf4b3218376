using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Tests.Catalog;

/// <summary>
/// One test per rule of <see cref="CostCalculator"/>, on real catalog entries where possible so that a wrong
/// catalog price fails here too. Every expected amount is worked out by hand in the comment above it.
/// </summary>
public sealed class CostCalculatorTests
{
    private static ModelEntry Model(string provider, string model) =>
        ModelCatalog.BuiltIn.Find(provider, model) ?? throw new InvalidOperationException($"{provider}/{model} is not in the catalog.");

    [Fact]
    public void Calculate_PlainInputAndOutput_BillsEachAtItsRate()
    {
        // gpt-4o: $2.50 in, $10.00 out per 1M.
        // 1,000 x 2.50 / 1M = 0.0025; 500 x 10.00 / 1M = 0.005; total 0.0075.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-4o"), new TokenUsage { InputTokens = 1_000, OutputTokens = 500 });

        Assert.Equal(0.0025m, cost.Input);
        Assert.Equal(0.005m, cost.Output);
        Assert.Equal(0m, cost.CacheRead);
        Assert.Equal(0m, cost.CacheWrite);
        Assert.Equal(0.0075m, cost.Total);
        Assert.Equal(ServiceTier.Standard, cost.Tier);
        Assert.False(cost.LongContext);
    }

    [Fact]
    public void Calculate_CacheReads_BilledAtTheCachedRate()
    {
        // gpt-4.1: $2.00 in, $0.50 cached, $8.00 out.
        // 3,000 x 2.00 / 1M = 0.006; 7,000 x 0.50 / 1M = 0.0035; 200 x 8.00 / 1M = 0.0016; total 0.0111.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-4.1"), new TokenUsage { InputTokens = 3_000, CacheReadTokens = 7_000, OutputTokens = 200 });

        Assert.Equal(0.006m, cost.Input);
        Assert.Equal(0.0035m, cost.CacheRead);
        Assert.Equal(0.0016m, cost.Output);
        Assert.Equal(0.0111m, cost.Total);
    }

    [Fact]
    public void Calculate_NoCachedPrice_CacheReadsFallBackToInputRate()
    {
        // gpt-4o-2024-05-13 has no cached price: $5.00 in. 2,000 x 5.00 / 1M = 0.01.
        var model = Model("openai", "gpt-4o-2024-05-13");
        Assert.Null(model.Prices.CachedInput);

        var cost = CostCalculator.Calculate(model, new TokenUsage { CacheReadTokens = 2_000 });

        Assert.Equal(0.01m, cost.CacheRead);
        Assert.Equal(0.01m, cost.Total);
    }

    [Fact]
    public void Calculate_FiveMinuteAndOneHourCacheWrites_EachAtItsOwnRate()
    {
        // claude-sonnet-4-5: $3 in, 5m write $3.75, 1h write $6, hit $0.30, $15 out.
        // 5m: 10,000 x 3.75 / 1M = 0.0375; 1h: 10,000 x 6 / 1M = 0.06; writes 0.0975.
        // in: 1,000 x 3 / 1M = 0.003; hits: 20,000 x 0.30 / 1M = 0.006; out: 2,000 x 15 / 1M = 0.03.
        // total 0.0975 + 0.003 + 0.006 + 0.03 = 0.1365.
        var cost = CostCalculator.Calculate(Model("anthropic", "claude-sonnet-4-5"), new TokenUsage
        {
            InputTokens = 1_000,
            CacheReadTokens = 20_000,
            CacheWrite5mTokens = 10_000,
            CacheWrite1hTokens = 10_000,
            OutputTokens = 2_000,
        });

        Assert.Equal(0.0975m, cost.CacheWrite);
        Assert.Equal(0.003m, cost.Input);
        Assert.Equal(0.006m, cost.CacheRead);
        Assert.Equal(0.03m, cost.Output);
        Assert.Equal(0.1365m, cost.Total);
    }

    [Fact]
    public void Calculate_NoCacheWritePrice_CacheWritesFallBackToInputRate()
    {
        // gpt-4o has no cache-write price: 4,000 x 2.50 / 1M = 0.01 (5m) + 2,000 x 2.50 / 1M = 0.005 (1h) = 0.015.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-4o"), new TokenUsage { CacheWrite5mTokens = 4_000, CacheWrite1hTokens = 2_000 });

        Assert.Equal(0.015m, cost.CacheWrite);
    }

    [Fact]
    public void Calculate_ReasoningTokens_AreNotCountedTwice()
    {
        // o3: $8.00 out. 1,000 output tokens of which 800 reasoning: 1,000 x 8 / 1M = 0.008 (not 1,800 x 8 / 1M).
        var cost = CostCalculator.Calculate(Model("openai", "o3"), new TokenUsage { OutputTokens = 1_000, ReasoningTokens = 800 });

        Assert.Equal(0.008m, cost.Output);
        Assert.Equal(0.008m, cost.Total);
    }

    [Fact]
    public void Calculate_AudioTokens_BilledAtTheAudioRates()
    {
        // gpt-realtime: text $4 in / $16 out, audio $32 in / $64 out.
        // in: 400 text x 4 / 1M = 0.0016 + 600 audio x 32 / 1M = 0.0192 -> 0.0208.
        // out: 200 text x 16 / 1M = 0.0032 + 300 audio x 64 / 1M = 0.0192 -> 0.0224. Total 0.0432.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-realtime"), new TokenUsage
        {
            InputTokens = 1_000,
            InputAudioTokens = 600,
            OutputTokens = 500,
            OutputAudioTokens = 300,
        });

        Assert.Equal(0.0208m, cost.Input);
        Assert.Equal(0.0224m, cost.Output);
        Assert.Equal(0.0432m, cost.Total);
    }

    [Fact]
    public void Calculate_AudioInputOnGeminiFlash_UsesItsAudioInputRate()
    {
        // gemini-2.5-flash: $0.30 text in, $1.00 audio in, no audio output rate so audio output is plain output ($2.50).
        // in: 1,000 text x 0.30 / 1M = 0.0003 + 1,000 audio x 1.00 / 1M = 0.001 -> 0.0013; out: 100 x 2.50 / 1M = 0.00025.
        var cost = CostCalculator.Calculate(Model("gemini", "gemini-2.5-flash"), new TokenUsage
        {
            InputTokens = 2_000,
            InputAudioTokens = 1_000,
            OutputTokens = 100,
            OutputAudioTokens = 100,
        });

        Assert.Equal(0.0013m, cost.Input);
        Assert.Equal(0.00025m, cost.Output);
    }

    [Fact]
    public void Calculate_AnthropicPromptOver200K_BillsWholeRequestAtLongContextRates()
    {
        // claude-sonnet-4-5 over 200K: $6 in, $0.60 hit, $7.50 5m write, $22.50 out.
        // Prompt 150,000 + 40,000 + 20,000 = 210,000 > 200,000, so every token is at long-context rates:
        // in 150,000 x 6 / 1M = 0.9; hits 40,000 x 0.60 / 1M = 0.024; writes 20,000 x 7.50 / 1M = 0.15;
        // out 1,000 x 22.50 / 1M = 0.0225. Total 1.0965.
        var cost = CostCalculator.Calculate(Model("anthropic", "claude-sonnet-4-5"), new TokenUsage
        {
            InputTokens = 150_000,
            CacheReadTokens = 40_000,
            CacheWrite5mTokens = 20_000,
            OutputTokens = 1_000,
        });

        Assert.True(cost.LongContext);
        Assert.Equal(0.9m, cost.Input);
        Assert.Equal(0.024m, cost.CacheRead);
        Assert.Equal(0.15m, cost.CacheWrite);
        Assert.Equal(0.0225m, cost.Output);
        Assert.Equal(1.0965m, cost.Total);
    }

    [Fact]
    public void Calculate_AnthropicPromptExactly200K_StaysAtStandardRates()
    {
        // 140,000 + 40,000 + 20,000 = 200,000: not over the threshold.
        // in 140,000 x 3 / 1M = 0.42; hits 40,000 x 0.30 / 1M = 0.012; writes 20,000 x 3.75 / 1M = 0.075;
        // out 1,000 x 15 / 1M = 0.015. Total 0.522.
        var cost = CostCalculator.Calculate(Model("anthropic", "claude-sonnet-4-5"), new TokenUsage
        {
            InputTokens = 140_000,
            CacheReadTokens = 40_000,
            CacheWrite5mTokens = 20_000,
            OutputTokens = 1_000,
        });

        Assert.False(cost.LongContext);
        Assert.Equal(0.522m, cost.Total);
    }

    [Fact]
    public void Calculate_OpusOver200KWithOneHourWrites_UsesLongContextWriteRate()
    {
        // claude-opus-4-6 over 200K: $10 in, $20 1h write, $37.50 out.
        // in 150,000 x 10 / 1M = 1.5; 1h writes 60,000 x 20 / 1M = 1.2; out 2,000 x 37.50 / 1M = 0.075. Total 2.775.
        var cost = CostCalculator.Calculate(Model("anthropic", "claude-opus-4-6"), new TokenUsage
        {
            InputTokens = 150_000,
            CacheWrite1hTokens = 60_000,
            OutputTokens = 2_000,
        });

        Assert.True(cost.LongContext);
        Assert.Equal(2.775m, cost.Total);
    }

    [Fact]
    public void Calculate_GeminiProPromptOver200K_BillsWholeRequestAtTheHigherTier()
    {
        // gemini-2.5-pro, prompts > 200k: $2.50 in, $0.25 cached, $15.00 out.
        // in 230,000 x 2.50 / 1M = 0.575; cached 20,000 x 0.25 / 1M = 0.005; out 1,000 x 15 / 1M = 0.015. Total 0.595.
        var cost = CostCalculator.Calculate(Model("gemini", "gemini-2.5-pro"), new TokenUsage { InputTokens = 230_000, CacheReadTokens = 20_000, OutputTokens = 1_000 });

        Assert.True(cost.LongContext);
        Assert.Equal(0.595m, cost.Total);
    }

    [Fact]
    public void Calculate_PartialLongContext_OnlyInputPastThresholdCostsMore()
    {
        // Synthetic: $1 in, $0.10 cached, $2 out; past 1,000 prompt tokens uncached input costs $3.
        // Prompt 800 uncached + 400 cached = 1,200, 200 over: in 600 x 1 / 1M + 200 x 3 / 1M = 0.0006 + 0.0006 = 0.0012;
        // cached 400 x 0.10 / 1M = 0.00004; out 100 x 2 / 1M = 0.0002 (output is not affected). Total 0.00144.
        var model = new ModelEntry
        {
            Provider = "test",
            Model = "partial",
            Prices = new ModelPrices
            {
                Input = 1m,
                CachedInput = 0.10m,
                Output = 2m,
                LongContext = new LongContextPrices { ThresholdTokens = 1_000, WholeRequest = false, Input = 3m, Output = 9m },
            },
        };

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 800, CacheReadTokens = 400, OutputTokens = 100 });

        Assert.True(cost.LongContext);
        Assert.Equal(0.0012m, cost.Input);
        Assert.Equal(0.00004m, cost.CacheRead);
        Assert.Equal(0.0002m, cost.Output);
        Assert.Equal(0.00144m, cost.Total);
    }

    [Fact]
    public void Calculate_Batch_UsesBatchRatesAndFallsBackToBatchInputForCacheReads()
    {
        // gpt-4o batch: $1.25 in, no batch cached price, $5.00 out.
        // in 1,000 x 1.25 / 1M = 0.00125; cached 1,000 x 1.25 / 1M = 0.00125; out 1,000 x 5 / 1M = 0.005. Total 0.0075.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-4o"), new TokenUsage { InputTokens = 1_000, CacheReadTokens = 1_000, OutputTokens = 1_000 }, ServiceTier.Batch);

        Assert.Equal(ServiceTier.Batch, cost.Tier);
        Assert.Equal(0.00125m, cost.Input);
        Assert.Equal(0.00125m, cost.CacheRead);
        Assert.Equal(0.005m, cost.Output);
        Assert.Equal(0.0075m, cost.Total);
    }

    [Fact]
    public void Calculate_BatchWithCacheWrites_KeepsStandardWriteRate()
    {
        // claude-sonnet-4-5 batch: $1.50 in, $7.50 out; cache writes stay at the standard $3.75 (5m).
        // in 10,000 x 1.50 / 1M = 0.015; writes 10,000 x 3.75 / 1M = 0.0375; out 1,000 x 7.50 / 1M = 0.0075. Total 0.06.
        var cost = CostCalculator.Calculate(Model("anthropic", "claude-sonnet-4-5"), new TokenUsage { InputTokens = 10_000, CacheWrite5mTokens = 10_000, OutputTokens = 1_000 }, ServiceTier.Batch);

        Assert.Equal(0.015m, cost.Input);
        Assert.Equal(0.0375m, cost.CacheWrite);
        Assert.Equal(0.0075m, cost.Output);
        Assert.Equal(0.06m, cost.Total);
    }

    [Fact]
    public void Calculate_GeminiBatchPromptOver200K_UsesTheBatchLongContextRates()
    {
        // gemini-2.5-pro batch, prompts > 200k: $1.25 in, $0.25 cached, $7.50 out.
        // in 240,000 x 1.25 / 1M = 0.3; cached 10,000 x 0.25 / 1M = 0.0025; out 1,000 x 7.50 / 1M = 0.0075. Total 0.31.
        var cost = CostCalculator.Calculate(Model("gemini", "gemini-2.5-pro"), new TokenUsage { InputTokens = 240_000, CacheReadTokens = 10_000, OutputTokens = 1_000 }, ServiceTier.Batch);

        Assert.True(cost.LongContext);
        Assert.Equal(ServiceTier.Batch, cost.Tier);
        Assert.Equal(0.31m, cost.Total);
    }

    [Fact]
    public void Calculate_AnthropicBatchPromptOver200K_HalvesLongContextRatesButNotCacheWrites()
    {
        // claude-sonnet-4-5 batch over 200K: $3 in, $0.30 hit, $11.25 out (half of 6 / 0.60 / 22.50); 5m writes stay $7.50.
        // 150,000 + 40,000 + 20,000 = 210,000 > 200,000.
        // in 150,000 x 3 / 1M = 0.45; hits 40,000 x 0.30 / 1M = 0.012; writes 20,000 x 7.50 / 1M = 0.15;
        // out 1,000 x 11.25 / 1M = 0.01125. Total 0.62325.
        var cost = CostCalculator.Calculate(Model("anthropic", "claude-sonnet-4-5"), new TokenUsage
        {
            InputTokens = 150_000,
            CacheReadTokens = 40_000,
            CacheWrite5mTokens = 20_000,
            OutputTokens = 1_000,
        }, ServiceTier.Batch);

        Assert.True(cost.LongContext);
        Assert.Equal(0.45m, cost.Input);
        Assert.Equal(0.012m, cost.CacheRead);
        Assert.Equal(0.15m, cost.CacheWrite);
        Assert.Equal(0.01125m, cost.Output);
        Assert.Equal(0.62325m, cost.Total);
    }

    [Fact]
    public void Calculate_TierWithoutItsOwnLongContextRates_IgnoresTheStandardOnes()
    {
        // Synthetic: standard $1 / $2 with long-context $5 / $9 past 1,000; batch $0.50 / $1 and no long-context rates.
        // Batch over the threshold: in 2,000 x 0.50 / 1M = 0.001; out 1,000 x 1 / 1M = 0.001. Total 0.002.
        var model = new ModelEntry
        {
            Provider = "test",
            Model = "tiered",
            Prices = new ModelPrices
            {
                Input = 1m,
                Output = 2m,
                Batch = new TierPrices { Input = 0.5m, Output = 1m },
                LongContext = new LongContextPrices { ThresholdTokens = 1_000, Input = 5m, Output = 9m },
            },
        };

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 2_000, OutputTokens = 1_000 }, ServiceTier.Batch);

        Assert.False(cost.LongContext);
        Assert.Equal(0.002m, cost.Total);
    }

    [Fact]
    public void Calculate_Flex_UsesFlexRatesIncludingCachedInput()
    {
        // o3 flex: $1.00 in, $0.25 cached, $4.00 out.
        // in 2,000 x 1 / 1M = 0.002; cached 4,000 x 0.25 / 1M = 0.001; out 1,000 x 4 / 1M = 0.004. Total 0.007.
        var cost = CostCalculator.Calculate(Model("openai", "o3"), new TokenUsage { InputTokens = 2_000, CacheReadTokens = 4_000, OutputTokens = 1_000 }, ServiceTier.Flex);

        Assert.Equal(ServiceTier.Flex, cost.Tier);
        Assert.Equal(0.007m, cost.Total);
    }

    [Fact]
    public void Calculate_Priority_UsesPriorityRates()
    {
        // gpt-4.1 priority: $3.50 in, $0.875 cached, $14.00 out.
        // in 1,000 x 3.50 / 1M = 0.0035; cached 2,000 x 0.875 / 1M = 0.00175; out 500 x 14 / 1M = 0.007. Total 0.01225.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-4.1"), new TokenUsage { InputTokens = 1_000, CacheReadTokens = 2_000, OutputTokens = 500 }, ServiceTier.Priority);

        Assert.Equal(ServiceTier.Priority, cost.Tier);
        Assert.Equal(0.0035m, cost.Input);
        Assert.Equal(0.00175m, cost.CacheRead);
        Assert.Equal(0.007m, cost.Output);
        Assert.Equal(0.01225m, cost.Total);
    }

    [Theory]
    [InlineData("openai", "gpt-5-pro", ServiceTier.Flex)]
    [InlineData("openai", "gpt-5-pro", ServiceTier.Priority)]
    [InlineData("deepseek", "deepseek-chat", ServiceTier.Batch)]
    [InlineData("anthropic", "claude-haiku-4-5", ServiceTier.Flex)]
    public void Calculate_TierNotOffered_ThrowsArgumentException(string provider, string model, ServiceTier tier)
    {
        var entry = Model(provider, model);

        Assert.False(CostCalculator.Offers(entry, tier));
        var ex = Assert.Throws<ArgumentException>(() => CostCalculator.Calculate(entry, new TokenUsage { InputTokens = 1 }, tier));
        Assert.Equal("tier", ex.ParamName);
    }

    [Theory]
    [InlineData("openai", "gpt-5.2", ServiceTier.Standard)]
    [InlineData("openai", "gpt-5.2", ServiceTier.Batch)]
    [InlineData("anthropic", "claude-opus-4-6", ServiceTier.Standard)]
    [InlineData("gemini", "gemini-2.5-pro", ServiceTier.Batch)]
    [InlineData("demo", "demo-embed", ServiceTier.Standard)]
    public void Calculate_ZeroUsage_CostsNothing(string provider, string model, ServiceTier tier)
    {
        var cost = CostCalculator.Calculate(Model(provider, model), TokenUsage.Empty, tier);

        Assert.Equal(0m, cost.Total);
        Assert.False(cost.LongContext);
    }

    [Fact]
    public void Calculate_DemoChat_UsesItsIllustrativePrices()
    {
        // demo-chat: $1.00 in, $0.50 cached, $2.00 out.
        // 1,000,000 x 1 / 1M = 1; 1,000,000 x 0.50 / 1M = 0.5; 500,000 x 2 / 1M = 1. Total 2.5.
        var cost = CostCalculator.Calculate(Model("demo", "demo-chat"), new TokenUsage { InputTokens = 1_000_000, CacheReadTokens = 1_000_000, OutputTokens = 500_000 });

        Assert.Equal(2.5m, cost.Total);
    }

    [Fact]
    public void Calculate_Parts_AddUpExactlyToTotal()
    {
        // gpt-5-nano: $0.05 in, $0.005 cached, $0.40 out. Decimal keeps every digit:
        // 1 x 0.05 / 1M = 0.00000005; 3 x 0.005 / 1M = 0.000000015; 7 x 0.40 / 1M = 0.0000028. Total 0.000002865.
        var cost = CostCalculator.Calculate(Model("openai", "gpt-5-nano"), new TokenUsage { InputTokens = 1, CacheReadTokens = 3, OutputTokens = 7 });

        Assert.Equal(0.000002865m, cost.Total);
        Assert.Equal(cost.Input + cost.CacheRead + cost.CacheWrite + cost.Output, cost.Total);
    }
}
