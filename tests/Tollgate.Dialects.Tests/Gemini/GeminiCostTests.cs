using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

/// <summary>Gemini usage priced with the seed's Gemini 3 Pro Preview prices (seeds/000, "Gemini 3 Pro Preview").</summary>
public sealed class GeminiCostTests
{
    // $2 / $12 per 1M (cached $0.20) up to 200K prompt tokens; $4 / $18 (cached $0.40) past it, for the whole request.
    private static readonly ModelEntry Gemini3Pro = new()
    {
        Provider = "gemini",
        Model = "gemini-3-pro-preview",
        Prices = new ModelPrices
        {
            Input = 2.00m,
            CachedInput = 0.20m,
            Output = 12.00m,
            LongContext = new LongContextPrices { ThresholdTokens = 200_000, Input = 4.00m, CachedInput = 0.40m, Output = 18.00m },
        },
    };

    [Fact]
    public void Cost_TextRecording_ThoughtsBilledAsOutputOnce()
    {
        var usage = GeminiUsage.ParseResponse(GeminiRecordings.Bytes("google-text.json"))!;

        var cost = CostCalculator.Calculate(Gemini3Pro, usage);

        // input 9 * 2 / 1M = 0.000018; output (28 + 244) * 12 / 1M = 0.003264; total 0.003282
        Assert.Equal(0.000018m, cost.Input);
        Assert.Equal(0.003264m, cost.Output);
        Assert.Equal(0.003282m, cost.Total);
        Assert.False(cost.LongContext);
    }

    [Fact]
    public void Cost_LongCachedPrompt_WholeRequestAtLongContextRates()
    {
        using var doc = JsonDocument.Parse("""
            {"promptTokenCount":250000,"cachedContentTokenCount":50000,"candidatesTokenCount":1000,"thoughtsTokenCount":200}
            """);
        var usage = GeminiUsage.Parse(doc.RootElement);

        var cost = CostCalculator.Calculate(Gemini3Pro, usage);

        // prompt 250,000 > 200K: uncached 200,000 * 4 / 1M = 0.8; cached 50,000 * 0.40 / 1M = 0.02;
        // output (1,000 + 200) * 18 / 1M = 0.0216; total 0.8416
        Assert.True(cost.LongContext);
        Assert.Equal(0.8m, cost.Input);
        Assert.Equal(0.02m, cost.CacheRead);
        Assert.Equal(0.0216m, cost.Output);
        Assert.Equal(0.8416m, cost.Total);
    }

    [Fact]
    public void Translate_ToolCallRecordingWithCost_CostInUsage()
    {
        var bytes = GeminiRecordings.Bytes("google-tool-call.json");
        var cost = CostCalculator.Calculate(Gemini3Pro, GeminiUsage.ParseResponse(bytes)!);

        var body = JsonNode.Parse(GeminiResponseTranslator.Translate(bytes, new GeminiResponseOptions { Cost = cost.Total }).Body)!;

        // input 29 * 2 / 1M = 0.000058; output (15 + 893) * 12 / 1M = 0.010896; total 0.010954
        Assert.Equal(0.010954m, body["usage"]!["cost"]!.GetValue<decimal>());
    }
}
