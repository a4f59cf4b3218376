using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Tests.Pricing;

/// <summary><see cref="CostCalculator.UpperBound"/>: the most any split of a call's tokens can cost.</summary>
public sealed class UpperBoundTests
{
    [Fact]
    public void UpperBound_ReasoningDearerThanOutput_UsesTheReasoningRate()
    {
        // qwen-plus-latest below 256K: in $0.40, out $1.20, reasoning $4. 1,000 x 0.4 / 1M = 0.0004 + 1,000 x 4 / 1M = 0.004.
        Assert.Equal(0.0044m, CostCalculator.UpperBound(BuiltInModel.Find("dashscope", "qwen-plus-latest"), 1_000, 1_000));

        // Past 256K: in $1.20, reasoning $12. 300,000 x 1.2 / 1M = 0.36 + 1,000 x 12 / 1M = 0.012 -> 0.372.
        Assert.Equal(0.372m, CostCalculator.UpperBound(BuiltInModel.Find("dashscope", "qwen-plus-latest"), 300_000, 1_000));
    }

    [Fact]
    public void UpperBound_CacheWriteDearerThanInput_UsesTheWriteRate()
    {
        // claude-sonnet-4-5: 1h write $6 > input $3; out $15. 1,000 x 6 / 1M = 0.006 + 1,000 x 15 / 1M = 0.015 -> 0.021.
        Assert.Equal(0.021m, CostCalculator.UpperBound(BuiltInModel.Find("anthropic", "claude-sonnet-4-5"), 1_000, 1_000));
    }

    [Fact]
    public void UpperBound_ImageOutput_UsesTheImageRate()
    {
        // gpt-image-2: input side max(5, 8 image, 1.25 cached) = 8; output side max(10, 30 image) = 30.
        // 1,000 x 8 / 1M = 0.008 + 2,000 x 30 / 1M = 0.06 -> 0.068.
        Assert.Equal(0.068m, CostCalculator.UpperBound(BuiltInModel.Find("openai", "gpt-image-2"), 1_000, 2_000));
    }

    [Fact]
    public void UpperBound_PriorityTier_AtThePriorityRates()
    {
        // gpt-4o priority: $4.25 in, $17 out. 1,000 x 4.25 / 1M = 0.00425 + 1,000 x 17 / 1M = 0.017 -> 0.02125.
        Assert.Equal(0.02125m, CostCalculator.UpperBound(BuiltInModel.Find("openai", "gpt-4o"), 1_000, 1_000, ServiceTier.Priority));

        // A tier the model does not sell: the standard rates ($2.50 / $10) -> 0.0025 + 0.01 = 0.0125.
        Assert.Equal(0.0125m, CostCalculator.UpperBound(BuiltInModel.Find("openai", "gpt-4o"), 1_000, 1_000, ServiceTier.Flex));
    }

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5")]
    [InlineData("openai", "gpt-realtime")]
    [InlineData("openai", "gpt-image-2")]
    [InlineData("dashscope", "qwen3-max")]
    [InlineData("gemini", "gemini-2.5-pro")]
    public void UpperBound_NoSplitOfTheTokens_CostsMore(string provider, string name)
    {
        var model = BuiltInModel.Find(provider, name);
        var random = new Random(13);
        foreach (var prompt in new long[] { 1_000, 40_000, 150_000, 250_000, 300_000 })
        {
            const long output = 3_000;
            var bound = CostCalculator.UpperBound(model, prompt, output);
            for (var i = 0; i < 200; i++)
            {
                var cached = random.NextInt64(prompt + 1);
                var write5m = random.NextInt64(prompt - cached + 1);
                var write1h = random.NextInt64(prompt - cached - write5m + 1);
                var input = prompt - cached - write5m - write1h;
                var audioOut = random.NextInt64(output + 1);
                var usage = new TokenUsage
                {
                    InputTokens = input,
                    InputAudioTokens = random.NextInt64(input + 1),
                    InputImageTokens = random.NextInt64(input + 1),
                    CacheReadTokens = cached,
                    CacheReadAudioTokens = random.NextInt64(cached + 1),
                    CacheWrite5mTokens = write5m,
                    CacheWrite1hTokens = write1h,
                    OutputTokens = output,
                    OutputAudioTokens = audioOut,
                    OutputImageTokens = random.NextInt64(output - audioOut + 1),
                    ReasoningTokens = random.NextInt64(output + 1),
                };
                var cost = CostCalculator.Calculate(model, usage).Total;
                Assert.True(cost <= bound, $"{model.Id} at {prompt}: {cost} > {bound} for {usage}");
            }
        }
    }
}
