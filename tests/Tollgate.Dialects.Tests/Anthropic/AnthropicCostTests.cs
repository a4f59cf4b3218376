using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Dialects.Anthropic;

namespace Tollgate.Dialects.Tests.Anthropic;

/// <summary>Anthropic usage, normalized by the translators, priced by Core: hand-computed from the seed prices.</summary>
public sealed class AnthropicCostTests
{
    // Seed 000 (Anthropic pricing page): Claude Sonnet 4.5 $3 input, $3.75 5m cache write, $6 1h cache write,
    // $0.30 cache hits, $15 output per MTok; above 200K input tokens $6 input and $22.50 output, with the
    // caching multipliers applied on top (1.25x and 2x for writes, 0.1x for reads).
    private static readonly ModelEntry Sonnet45 = new()
    {
        Provider = "anthropic",
        Model = "claude-sonnet-4-5",
        Prices = new ModelPrices
        {
            Input = 3m,
            CacheWrite5m = 3.75m,
            CacheWrite1h = 6m,
            CachedInput = 0.30m,
            Output = 15m,
            LongContext = new LongContextPrices { ThresholdTokens = 200_000, Input = 6m, CacheWrite5m = 7.5m, CacheWrite1h = 12m, CachedInput = 0.6m, Output = 22.5m },
        },
    };

    [Fact]
    public void Stream_CodeExecutionRecording_CostFromFinalUsage()
    {
        var translator = new AnthropicStreamTranslator(new AnthropicResponseOptions { IncludeUsage = true, Cost = static u => CostCalculator.Calculate(Sonnet45, u).Total });
        var chunks = new List<byte[]>();
        foreach (var line in Recordings.Lines("anthropic-code-execution-20260120-prompt-cache.1.chunks.txt"))
        {
            translator.Translate(null, Encoding.UTF8.GetBytes(line), chunks);
        }

        // (6 input * $3 + 3337 5m writes * $3.75 + 6289 reads * $0.30 + 198 output * $15) / 1M
        // = (18 + 12513.75 + 1886.7 + 2970) / 1M = 17388.45 / 1M = $0.01738845
        Assert.Equal(0.01738845m, translator.Cost);
        Assert.Equal(0.01738845m, (decimal)JsonNode.Parse(chunks[^1])!["usage"]!["cost"]!);
    }

    [Fact]
    public void Response_OneHourCacheWrites_PricedAtOneHourRate()
    {
        var json = """{"id":"m","model":"c","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":10,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":100}}"""u8;

        Assert.True(AnthropicResponseTranslator.TryTranslate(json, new AnthropicResponseOptions { Cost = static u => CostCalculator.Calculate(Sonnet45, u).Total }, out var result));

        // (10 * $3 + 1000 * $3.75 + 2000 * $6 + 100 * $15) / 1M = (30 + 3750 + 12000 + 1500) / 1M = $0.01728
        Assert.Equal(0.01728m, (decimal)JsonNode.Parse(result!.Body)!["usage"]!["cost"]!);
    }

    [Fact]
    public void Response_CacheCarriesInputPast200K_WholeRequestAtLongContextRates()
    {
        // Uncached input alone (150K) is under the threshold; with reads and writes the prompt is 210K.
        var json = """{"id":"m","model":"c","content":[],"stop_reason":"end_turn","usage":{"input_tokens":150000,"cache_creation_input_tokens":20000,"cache_read_input_tokens":40000,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":20000},"output_tokens":1000}}"""u8;

        Assert.True(AnthropicResponseTranslator.TryTranslate(json, new AnthropicResponseOptions(), out var result));
        var cost = CostCalculator.Calculate(Sonnet45, result!.Usage);

        // (150000 * $6 + 40000 * $0.60 + 20000 * $12 + 1000 * $22.50) / 1M = (900000 + 24000 + 240000 + 22500) / 1M = $1.1865
        Assert.True(cost.LongContext);
        Assert.Equal(1.1865m, cost.Total);
        Assert.Equal(210_000, (long)JsonNode.Parse(result.Body)!["usage"]!["prompt_tokens"]!);
    }
}
