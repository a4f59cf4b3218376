using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Tests.Pricing;

/// <summary>
/// Prices per image, character, second, query, request and web search, on community entries priced in the LiteLLM
/// file. Every amount is worked out by hand in the comment above it.
/// </summary>
public sealed class UnitPricingTests
{
    [Theory]
    // dall-e-3, hd 1024x1792: 6.539e-08 per pixel x 1,835,008 pixels = 0.11999117312 per image; 2 images -> 0.23998234624.
    [InlineData("hd", "1024x1792", 2, "0.23998234624")]
    // standard 1024x1024: 3.81469e-08 x 1,048,576 = 3,999,992.38144e-08 = 0.0399999238144; 1 image.
    [InlineData("standard", "1024x1024", 1, "0.0399999238144")]
    // A quality the file lists no size for ("auto"): the flat per-image price, input_cost_per_image 0.04; 3 -> 0.12.
    [InlineData("auto", "1024x1024", 3, "0.12")]
    // No quality given, no size given: the flat 0.04.
    [InlineData(null, null, 1, "0.04")]
    public void Calculate_GeneratedImages_PricedBySizeAndQuality(string? quality, string? size, long images, string expected)
    {
        var cost = CostCalculator.Calculate(BuiltInModel.Find("openai", "dall-e-3"), TokenUsage.Empty,
            new UnitUsage { Images = images, ImageQuality = quality, ImageSize = size });

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost.Units);
        Assert.Equal(cost.Units, cost.Total);
        Assert.Empty(cost.Unpriced);
    }

    [Fact]
    public void ImagePrice_NoFlatPrice_PerPixelThenTheDearestListed()
    {
        // nscale FLUX.1-schnell: 1.3e-09 per pixel; 1024x768 = 786,432 pixels -> 0.0010223616.
        Assert.Equal(0.0010223616m, CostCalculator.ImagePrice(BuiltInModel.Find("nscale", "black-forest-labs/FLUX.1-schnell").Prices.Units, null, "1024x768"));

        // Sizes only, none matching: the dearest listed of that quality (0.2), else of any (0.3), never less than the model charges.
        var units = new UnitPrices
        {
            Images =
            [
                new ImagePrice { Quality = "low", Size = "1024x1024", Price = 0.01m },
                new ImagePrice { Quality = "high", Size = "1024x1024", Price = 0.2m },
                new ImagePrice { Quality = "high", Size = "1536x1024", Price = 0.3m },
                new ImagePrice { Size = "512x512", Price = 0.05m },
            ],
        };
        Assert.Equal(0.01m, CostCalculator.ImagePrice(units, "low", "1024x1024"));
        Assert.Equal(0.05m, CostCalculator.ImagePrice(units, "high", "512x512"));
        Assert.Equal(0.01m, CostCalculator.ImagePrice(units, "low", "2048x2048"));
        Assert.Equal(0.3m, CostCalculator.ImagePrice(units, "auto", "2048x2048"));
        Assert.Equal(0.3m, CostCalculator.ImagePrice(units, "high", "1536-x-1024"));
        Assert.Null(CostCalculator.ImagePrice(null, "high", "1024x1024"));
    }

    [Fact]
    public void Calculate_PerCharacter_Tts1()
    {
        // tts-1: 1.5e-05 per character; 4,321 characters -> 0.064815.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("openai", "tts-1"), TokenUsage.Empty, new UnitUsage { InputCharacters = 4_321 });

        Assert.Equal(0.064815m, cost.Total);
    }

    [Fact]
    public void Calculate_PerSecondOfAudio_Whisper1WithAFractionalDuration()
    {
        // whisper-1: 0.0001 per second; 61.5 s -> 0.00615 (whisper's output_cost_per_second is not billed: the output is text).
        var cost = CostCalculator.Calculate(BuiltInModel.Find("openai", "whisper-1"), TokenUsage.Empty, new UnitUsage { InputAudioSeconds = 61.5m });

        Assert.Equal(0.00615m, cost.Total);
    }

    [Fact]
    public void Calculate_PerSecondOfOutput_Veo()
    {
        // gemini/veo-3.1-generate-preview: 0.40 per second of video; 8 s -> 3.2.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("gemini", "veo-3.1-generate-preview"), TokenUsage.Empty, new UnitUsage { OutputSeconds = 8m });

        Assert.Equal(3.2m, cost.Total);
    }

    [Fact]
    public void Calculate_PerQuery_Rerank()
    {
        // cohere rerank-v3.5: 0.002 per query, tokens free; 3 queries and 5,000 tokens -> 0.006.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("cohere", "rerank-v3.5"), new TokenUsage { InputTokens = 5_000 }, new UnitUsage { Queries = 3 });

        Assert.Equal(0m, cost.Input);
        Assert.Equal(0.006m, cost.Total);
    }

    [Theory]
    // perplexity/sonar: $1 in, $1 out per 1M; web search 0.005 low / 0.008 medium / 0.012 high.
    // 2,000 in x 1 / 1M = 0.002; 500 out x 1 / 1M = 0.0005; 1 search.
    [InlineData("low", "0.0075")]
    [InlineData("high", "0.0145")]
    // Not given: medium, 0.008 -> 0.0105.
    [InlineData(null, "0.0105")]
    public void Calculate_WebSearch_TokensPlusTheSearchBySize(string? size, string expected)
    {
        var cost = CostCalculator.Calculate(BuiltInModel.Find("perplexity", "sonar"), new TokenUsage { InputTokens = 2_000, OutputTokens = 500 },
            new UnitUsage { WebSearches = 1, SearchContextSize = size });

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost.Total);
        Assert.Equal(0.0025m, cost.Input + cost.Output);
    }

    [Fact]
    public void Calculate_PerRequestFee_AddedToTokens()
    {
        // perplexity/sonar-medium-online: $0 in, $1.80 out per 1M, 0.005 per request.
        // 1,000 in x 0 = 0; 1,000 out x 1.8 / 1M = 0.0018; + 0.005 -> 0.0068.
        var model = BuiltInModel.Find("perplexity", "sonar-medium-online");
        Assert.Equal((0m, 1.8m), (model.Prices.Input, model.Prices.Output));

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 1_000, OutputTokens = 1_000 }, new UnitUsage { Requests = 1 });

        Assert.Equal(0.005m, cost.Units);
        Assert.Equal(0.0068m, cost.Total);
    }

    [Fact]
    public void Calculate_UnitWithoutAPrice_IsNamedAndNotBilled()
    {
        // gpt-4o has no per-image or per-second price: the tokens are billed (1,000 x 2.5 / 1M = 0.0025), the units named.
        var cost = CostCalculator.Calculate(BuiltInModel.Find("openai", "gpt-4o"), new TokenUsage { InputTokens = 1_000 },
            new UnitUsage { Images = 1, OutputSeconds = 3m });

        Assert.Equal(0.0025m, cost.Total);
        Assert.Equal(["images", "output_seconds"], cost.Unpriced);
    }

    [Fact]
    public void Calculate_UnitsInATier_StayAtTheirStandardPrice()
    {
        // Batch halves tokens ($1 -> $0.50 per 1M) but the per-image price holds: 1,000 x 0.5 / 1M = 0.0005 + 2 x 0.04 = 0.0805.
        var model = new ModelEntry
        {
            Provider = "test",
            Model = "m",
            Prices = new ModelPrices { Input = 1m, Output = 2m, Batch = new TierPrices { Input = 0.5m, Output = 1m }, Units = new UnitPrices { Image = 0.04m } },
        };

        var cost = CostCalculator.Calculate(model, new TokenUsage { InputTokens = 1_000 }, new UnitUsage { Images = 2 }, ServiceTier.Batch);

        Assert.Equal(0.0805m, cost.Total);
        Assert.Equal(ServiceTier.Batch, cost.Tier);
    }
}
