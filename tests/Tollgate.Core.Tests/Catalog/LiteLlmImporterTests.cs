using System.Text;
using Tollgate.Core.Catalog;

namespace Tollgate.Core.Tests.Catalog;

public sealed class LiteLlmImporterTests
{
    private const string FileName = "litellm-model-prices-2026-08.json";

    private static readonly Lazy<LiteLlmImportResult> s_real = new(() => LiteLlmImporter.Import(SharedData.Path(FileName), "2026-08"));

    private static LiteLlmImportResult Real => s_real.Value;

    [Fact]
    public void Import_RealFile_CountsMatchIndependentCount()
    {
        // Counted independently with a Python script applying the same rules to the 2,986 top-level keys:
        // 2 file descriptions (sample_spec, fallback_generalizations) + 8 mode-less Fireworks size rules = 10 not models;
        // 79 per-size image prices (hd/1024-x-1792/dall-e-3, ...) folded into their models;
        // 141 with no price Tollgate bills (per page, per DBU, per search-result tier, subscription models);
        // 69 second spellings of a provider/model already seen (deepseek-chat vs deepseek/deepseek-chat, Vertex's
        // copy of a Gemini API model, ...); 2,986 - 10 - 79 - 141 - 69 = 2,687 imported, plus 2 image models that
        // LiteLLM lists only by size (azure's) made from their size keys = 2,689; no malformed entries.
        var result = Real;

        Assert.Equal(2689, result.Imported);
        Assert.Equal(299, result.Skipped);
        Assert.Equal(10, result.SkippedByReason["not a model"]);
        Assert.Equal(79, result.SkippedByReason["image size price (folded into its model)"]);
        Assert.Equal(141, result.SkippedByReason["no price"]);
        Assert.Equal(69, result.SkippedByReason["duplicate"]);
        Assert.Empty(result.Bad);
        Assert.Equal(result.Models.Count, result.Models.Select(m => m.Id.ToLowerInvariant()).Distinct().Count());
    }

    [Fact]
    public void Import_RealFile_Gpt4oPricesTiersAndCapabilities()
    {
        // "gpt-4o": input 2.5e-06, cache read 1.25e-06, output 1e-05, batches 1.25e-06 / 5e-06,
        // priority 4.25e-06 / 1.7e-05 (cache read 2.125e-06); x 1,000,000 per 1M tokens:
        // 2.5, 1.25, 10; batch 1.25 / 5; priority 4.25 / 17 (cached 2.125).
        var m = Find("openai", "gpt-4o");

        Assert.Equal("chat", m.Mode);
        Assert.Equal(128000, m.ContextWindow);
        Assert.Equal(16384, m.MaxOutput);
        Assert.Equal(2.5m, m.Prices.Input);
        Assert.Equal("2.5", m.Prices.Input.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.25m, m.Prices.CachedInput);
        Assert.Equal(10m, m.Prices.Output);
        Assert.Equal(new TierPrices { Input = 1.25m, Output = 5m }, m.Prices.Batch);
        Assert.Equal(new TierPrices { Input = 4.25m, CachedInput = 2.125m, Output = 17m }, m.Prices.Priority);
        Assert.Null(m.Prices.Flex);
        Assert.Null(m.Prices.LongContext);
        Assert.Null(m.Prices.CacheWrite5m);
        Assert.Equal(["tools", "vision", "json_schema", "prompt_caching", "pdf_input"], m.Capabilities);
        Assert.Equal(new CatalogSource { File = FileName, Date = "2026-08", Key = "gpt-4o" }, m.Source);
    }

    [Fact]
    public void Import_RealFile_ClaudeSonnet45CacheWritesAndLongContext()
    {
        // "claude-sonnet-4-5": input 3e-06 -> 3, output 1.5e-05 -> 15, cache read 3e-07 -> 0.3,
        // cache write 3.75e-06 -> 3.75, 1-hour write 6e-06 -> 6;
        // above 200k: input 6e-06 -> 6, output 2.25e-05 -> 22.5, cache read 6e-07 -> 0.6,
        // cache write 7.5e-06 -> 7.5, 1-hour write 1.2e-05 -> 12.
        var m = Find("anthropic", "claude-sonnet-4-5");

        Assert.Equal(3m, m.Prices.Input);
        Assert.Equal(15m, m.Prices.Output);
        Assert.Equal(0.3m, m.Prices.CachedInput);
        Assert.Equal(3.75m, m.Prices.CacheWrite5m);
        Assert.Equal(6m, m.Prices.CacheWrite1h);
        Assert.Equal(
            new LongContextPrices { ThresholdTokens = 200_000, WholeRequest = true, Input = 6m, Output = 22.5m, CachedInput = 0.6m, CacheWrite5m = 7.5m, CacheWrite1h = 12m },
            m.Prices.LongContext);
    }

    [Fact]
    public void Import_RealFile_GeminiPrefixStrippedWithLongContextAndPriority()
    {
        // "gemini/gemini-2.5-pro": 1.25e-06 -> 1.25 in, 1e-05 -> 10 out, 1.25e-07 -> 0.125 cached;
        // above 200k: 2.5e-06 -> 2.5, 1.5e-05 -> 15, 2.5e-07 -> 0.25; priority 1.25 / 10, above 200k 2.5 / 15.
        var m = Find("gemini", "gemini-2.5-pro");

        Assert.Equal(1_048_576, m.ContextWindow);
        Assert.Equal(1.25m, m.Prices.Input);
        Assert.Equal(10m, m.Prices.Output);
        Assert.Equal(0.125m, m.Prices.CachedInput);
        Assert.Equal(new LongContextPrices { ThresholdTokens = 200_000, Input = 2.5m, Output = 15m, CachedInput = 0.25m }, m.Prices.LongContext);
        Assert.Equal(
            new TierPrices { Input = 1.25m, Output = 10m, LongContext = new LongContextPrices { ThresholdTokens = 200_000, Input = 2.5m, Output = 15m } },
            m.Prices.Priority);
        Assert.Equal("gemini/gemini-2.5-pro", m.Source!.Key);
    }

    [Fact]
    public void Import_RealFile_OpenAiProviderFamilies()
    {
        // "groq/openai/gpt-oss-120b": 1.5e-07 -> 0.15, 6e-07 -> 0.6, cached 7.5e-08 -> 0.075.
        var groq = Find("groq", "openai/gpt-oss-120b");
        Assert.Equal((0.15m, 0.6m, 0.075m), (groq.Prices.Input, groq.Prices.Output, groq.Prices.CachedInput));

        // "xai/grok-3-mini": 3e-07 -> 0.3, 5e-07 -> 0.5, cached 7.5e-08 -> 0.075.
        var xai = Find("xai", "grok-3-mini");
        Assert.Equal((0.3m, 0.5m, 0.075m), (xai.Prices.Input, xai.Prices.Output, xai.Prices.CachedInput));

        // "zai/glm-4.6" is Zhipu: 6e-07 -> 0.6, 2.2e-06 -> 2.2, cached 1.1e-07 -> 0.11.
        var zhipu = Find("zhipu", "glm-4.6");
        Assert.Equal((0.6m, 2.2m, 0.11m), (zhipu.Prices.Input, zhipu.Prices.Output, zhipu.Prices.CachedInput));

        // "together_ai/baai/bge-base-en-v1.5" (and its capitalized twin): 8e-09 -> 0.008, embedding.
        var together = Find("together", "baai/bge-base-en-v1.5");
        Assert.Equal(("embedding", 0.008m, 0m), (together.Mode, together.Prices.Input, together.Prices.Output));
    }

    [Fact]
    public void Import_RealFile_DuplicateKeepsProviderPrefixedEntry()
    {
        // "deepseek-chat" has no cache_creation_input_token_cost; "deepseek/deepseek-chat" has 0.0. The prefixed one wins.
        var m = Find("deepseek", "deepseek-chat");

        Assert.Equal(0m, m.Prices.CacheWrite5m);
        Assert.Equal(0.28m, m.Prices.Input);    // 2.8e-07
        Assert.Equal(0.028m, m.Prices.CachedInput); // 2.8e-08
        Assert.Equal(0.42m, m.Prices.Output);   // 4.2e-07
    }

    [Fact]
    public void Import_RealFile_AudioPricesAndIncompleteTierLeftOut()
    {
        // "gpt-4o-audio-preview": audio in 4e-05 -> 40, audio out 8e-05 -> 80.
        var audio = Find("openai", "gpt-4o-audio-preview");
        Assert.Equal(40m, audio.Prices.InputAudio);
        Assert.Equal(80m, audio.Prices.OutputAudio);
        Assert.Contains("audio_output", audio.Capabilities);

        // "gpt-5-nano": priority has an input price only -> no priority tier; flex 2.5e-08 / 2e-07 / cached 2.5e-09.
        var nano = Find("openai", "gpt-5-nano");
        Assert.Null(nano.Prices.Priority);
        Assert.Equal(new TierPrices { Input = 0.025m, Output = 0.2m, CachedInput = 0.0025m }, nano.Prices.Flex);
    }

    [Fact]
    public void Import_RealFile_DallE3SizesFoldedIntoTheModel()
    {
        // "dall-e-3": input_cost_per_image 0.04, LiteLLM's per-image price of a generated image.
        // "hd/1024-x-1792/dall-e-3": 6.539e-08 per pixel x 1,024 x 1,792 = 1,835,008 pixels -> 0.11999117312;
        // "standard/1024-x-1024/dall-e-3": 3.81469e-08 x 1,048,576 = 3,999,992.38144e-08 -> 0.0399999238144.
        var m = Find("openai", "dall-e-3");
        var units = m.Prices.Units!;

        Assert.Equal("image", m.Mode);
        Assert.Equal(0.04m, units.Image);
        Assert.Equal(6, units.Images!.Count);
        Assert.Contains(new ImagePrice { Quality = "hd", Size = "1024x1792", Price = 0.11999117312m }, units.Images);
        Assert.Contains(new ImagePrice { Quality = "standard", Size = "1024x1024", Price = 0.0399999238144m }, units.Images);
        Assert.DoesNotContain(Real.Models, e => e.Model.Contains("-x-", StringComparison.Ordinal) && e.Provider == "openai");
        Assert.DoesNotContain(Real.Models, e => e.Model == "sample_spec");
    }

    [Fact]
    public void Import_RealFile_UnitPricedModels()
    {
        // "tts-1": input_cost_per_character 1.5e-05; "whisper-1" (transcription): input_cost_per_second 0.0001, its
        // output_cost_per_second left out (a transcript is text); "rerank-v3.5": input_cost_per_query 0.002;
        // "gemini/veo-3.1-generate-preview": output_cost_per_second 0.4; "nscale/black-forest-labs/FLUX.1-schnell":
        // 1.3e-09 per pixel; "perplexity/sonar": web search 0.005 / 0.008 / 0.012 by context size;
        // "perplexity/sonar-medium-online": input_cost_per_request 0.005.
        Assert.Equal(new UnitPrices { InputCharacter = 0.000015m }, Find("openai", "tts-1").Prices.Units);
        Assert.Equal(new UnitPrices { InputAudioSecond = 0.0001m }, Find("openai", "whisper-1").Prices.Units);
        Assert.Equal(new UnitPrices { Query = 0.002m }, Find("cohere", "rerank-v3.5").Prices.Units);
        Assert.Equal(new UnitPrices { OutputSecond = 0.4m }, Find("gemini", "veo-3.1-generate-preview").Prices.Units);
        Assert.Equal(new UnitPrices { Pixel = 0.0000000013m }, Find("nscale", "black-forest-labs/FLUX.1-schnell").Prices.Units);
        Assert.Equal(new WebSearchPrices { Low = 0.005m, Medium = 0.008m, High = 0.012m }, Find("perplexity", "sonar").Prices.Units!.WebSearch);
        Assert.Equal(0.005m, Find("perplexity", "sonar-medium-online").Prices.Units!.Request);
        Assert.Equal(("audio", "video"), (Find("openai", "whisper-1").Mode, Find("gemini", "veo-3.1-generate-preview").Mode));
    }

    [Fact]
    public void Import_RealFile_TokenKindsReasoningImageAndCachedAudio()
    {
        // "gpt-image-2": input 5e-06 -> 5, cached 1.25e-06 -> 1.25, output 1e-05 -> 10, image in 8e-06 -> 8, image out 3e-05 -> 30.
        var image = Find("openai", "gpt-image-2").Prices;
        Assert.Equal((5m, 1.25m, 10m, 8m, 30m), (image.Input, image.CachedInput, image.Output, image.InputImage, image.OutputImage));

        // "gpt-realtime-2": cached audio under cache_creation_input_audio_token_cost 4e-07 -> 0.4 (OpenAI bills no cache writes).
        Assert.Equal(0.4m, Find("openai", "gpt-realtime-2").Prices.CachedInputAudio);

        // "perplexity/sonar-deep-research": reasoning 3e-06 -> 3 beside output 8e-06 -> 8.
        var deep = Find("perplexity", "sonar-deep-research").Prices;
        Assert.Equal((8m, 3m), (deep.Output, deep.Reasoning));
    }

    [Fact]
    public void Import_RealFile_TieredPricingBecomesBaseAndTiers()
    {
        // "dashscope/qwen3-max": [0, 32K) 1.2e-06 / 6e-06, [32K, 128K) 2.4e-06 / 1.2e-05, [128K, 252K) 3e-06 / 1.5e-05.
        var p = Find("dashscope", "qwen3-max").Prices;

        Assert.Equal((1.2m, 6m), (p.Input, p.Output));
        Assert.Equal(new LongContextPrices { ThresholdTokens = 32_000, Input = 2.4m, Output = 12m }, p.LongContext);
        Assert.Equal([new LongContextPrices { ThresholdTokens = 128_000, Input = 3m, Output = 15m }], p.LongContextTiers!);

        // "dashscope/qwen-plus-latest": reasoning 4e-06 -> 4 below 256K, 1.2e-05 -> 12 above.
        var plus = Find("dashscope", "qwen-plus-latest").Prices;
        Assert.Equal((0.4m, 1.2m, 4m), (plus.Input, plus.Output, plus.Reasoning));
        Assert.Equal(new LongContextPrices { ThresholdTokens = 256_000, Input = 1.2m, Output = 3.6m, Reasoning = 12m }, plus.LongContext);
        Assert.Null(plus.LongContextTiers);
    }

    [Fact]
    public void Import_RealFile_GeminiModelListedOnlyUnderVertexIsFiledUnderGemini()
    {
        // "gemini-flash-experimental" exists only as a vertex_ai-language-models entry; "gemini-2.5-pro" exists
        // under both, and the Gemini API's own entry (with its priority tier) wins over Vertex's.
        var vertexOnly = Find("gemini", "gemini-flash-experimental");
        Assert.Equal("gemini-flash-experimental", vertexOnly.Source!.Key);
        Assert.Contains("Vertex", vertexOnly.Source.Note, StringComparison.Ordinal);
        Assert.NotNull(Find("gemini", "gemini-2.5-pro").Prices.Priority);
        Assert.DoesNotContain(Real.Models, m => m.Provider == "vertex" && m.Model.StartsWith("gemini-", StringComparison.Ordinal));

        // Vertex's Claude stays a Vertex model.
        Assert.Contains(Real.Models, m => m.Provider == "vertex" && m.Model.StartsWith("claude-", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_BadEntries_ReportedAndRestImported()
    {
        var result = Import("""
            {
              "sample_spec": {"litellm_provider": "one of ...", "mode": "chat", "input_cost_per_token": 0.0},
              "good": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
              "string-price": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "0.000001", "output_cost_per_token": 2e-06},
              "negative-price": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": -2e-06},
              "no-provider": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
              "bad-cache": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "cache_read_input_token_cost": true},
              "not-an-object": 42,
              "per-image": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_image": 0.04}
            }
            """);

        // A per-image price is a price now: "per-image" is imported with it.
        Assert.Equal(["good", "per-image"], result.Models.Select(m => m.Model));
        Assert.Equal(0.04m, result.Models[1].Prices.Units!.Image);
        Assert.Equal(1, result.Skipped); // sample_spec
        Assert.Equal(["string-price", "negative-price", "no-provider", "bad-cache", "not-an-object"], result.Bad.Select(b => b.Key));
        Assert.Contains("input_cost_per_token", result.Bad[0].Reason, StringComparison.Ordinal);
        Assert.Contains("negative", result.Bad[1].Reason, StringComparison.Ordinal);
        Assert.Contains("litellm_provider", result.Bad[2].Reason, StringComparison.Ordinal);
        Assert.Contains("cache_read_input_token_cost", result.Bad[3].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_Above200kEntry_MapsToLongContext()
    {
        var result = Import("""
            {"anthropic/claude-x": {
              "litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 1000000.0, "max_output_tokens": 64000,
              "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
              "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
              "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
              "cache_read_input_token_cost_above_200k_tokens": 6e-07, "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
              "supports_reasoning": true, "some_future_field": {"x": [1, 2]}
            }}
            """);

        var m = Assert.Single(result.Models);
        Assert.Equal(("anthropic", "claude-x"), (m.Provider, m.Model));
        Assert.Equal(1_000_000, m.ContextWindow);
        Assert.Equal(["reasoning"], m.Capabilities);
        // 6e-06 -> 6, 2.25e-05 -> 22.5, 6e-07 -> 0.6, 7.5e-06 -> 7.5; no 1-hour write above 200k given.
        Assert.Equal(
            new LongContextPrices { ThresholdTokens = 200_000, WholeRequest = true, Input = 6m, Output = 22.5m, CachedInput = 0.6m, CacheWrite5m = 7.5m },
            m.Prices.LongContext);
    }

    [Theory]
    [InlineData("2.5e-06", "2.5")]
    [InlineData("2.5E-6", "2.5")]
    [InlineData("1e-07", "0.1")]
    [InlineData("0.000003", "3")]
    [InlineData("1.25e-07", "0.125")]
    [InlineData("3.0000000000000004e-07", "0.30000000000000004")]
    [InlineData("0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("5", "5000000")]
    public void Import_PriceText_ConvertedExactlyPerMillion(string perToken, string perMillion)
    {
        var result = Import($$$"""{"m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": {{{perToken}}}, "output_cost_per_token": 0}}""");

        var m = Assert.Single(result.Models);
        Assert.Equal(perMillion, m.Prices.Input.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("gemini", "gemini")]
    [InlineData("vertex_ai-language-models", "vertex")]
    [InlineData("cohere_chat", "cohere")]
    [InlineData("perplexity", "perplexity")]
    [InlineData("vertex_ai", "vertex")]
    [InlineData("together_ai", "together")]
    [InlineData("zai", "zhipu")]
    [InlineData("text-completion-openai", "openai")]
    [InlineData("Cerebras", "cerebras")]
    public void MapProvider_LiteLlmNames_TollgateIds(string litellm, string expected)
    {
        Assert.Equal(expected, LiteLlmImporter.MapProvider(litellm));
    }

    [Fact]
    public void Import_VertexFamilyPrefix_Stripped()
    {
        var result = Import("""{"vertex_ai/claude-z": {"litellm_provider": "vertex_ai-anthropic_models", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}""");

        Assert.Equal("vertex/claude-z", Assert.Single(result.Models).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"a\":")]
    public void Import_NotAnObjectFile_Throws(string text)
    {
        Assert.Throws<InvalidDataException>(() => Import(text));
    }

    [Fact]
    public void Import_RealFile_RoundTripsThroughCatalogFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tollgate-litellm-{Guid.NewGuid():N}.json");
        try
        {
            CatalogFile.Write(path, Real.Models);
            var back = CatalogFile.Read(path);

            Assert.Equal(Real.Models.Count, back.Count);
            for (var i = 0; i < back.Count; i++)
            {
                Assert.Equal(Real.Models[i].Id, back[i].Id);
                Assert.Equal(Real.Models[i].Prices, back[i].Prices);
            }

            // The catalog built from it finds models by provider and name.
            Assert.NotNull(new ModelCatalog(back).Find("gemini", "gemini-2.5-pro"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ModelEntry Find(string provider, string model) =>
        Assert.Single(Real.Models, m => m.Provider == provider && m.Model == model);

    private static LiteLlmImportResult Import(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return LiteLlmImporter.Import(stream, "inline.json", "2026-08");
    }
}
