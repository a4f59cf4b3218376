using System.Text;
using System.Text.Json;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Dialects.Tests.TestSupport;

namespace Tollgate.Dialects.Tests.OpenAI;

public sealed class OpenAIUsageTests
{
    // Expected numbers read by eye from each recording's usage object.
    // Columns: provider folder, file, input (uncached), cache read, output (reasoning included), reasoning.
    public static TheoryData<string, string, long, long, long, long> Responses => new()
    {
        // prompt 16, cached 0; completion 363, reasoning 0.
        { "openai", "openai-text.json", 16, 0, 363, 0 },
        // Groq: extra queue_time/prompt_time/... fields; prompt 45, completion 607.
        { "groq", "groq-text.json", 45, 0, 607, 0 },
        { "groq", "groq-tool-call.json", 218, 0, 15, 0 },
        // DeepSeek: hit 0 / miss 18; completion 345 includes reasoning 315 (18 + 345 = 363 total).
        { "deepseek", "deepseek-reasoning.json", 18, 0, 345, 315 },
        { "deepseek", "deepseek-text.json", 13, 0, 300, 0 },
        // hit 320 / miss 19 (= prompt 339); completion 92 includes reasoning 48 (339 + 92 = 431 total).
        { "deepseek", "deepseek-tool-call.json", 19, 320, 92, 48 },
        { "mistral", "mistral-text.json", 13, 0, 434, 0 },
        { "mistral", "mistral-tool-call.json", 124, 0, 22, 0 },
        { "moonshot", "moonshotai-text.json", 9, 0, 5, 0 },
        { "moonshot", "moonshotai-tool-call.json", 30, 0, 12, 0 },
        // xAI: prompt 291 with 244 cached -> 47 uncached; completion 26 + reasoning 189 = 215 output,
        // because total 506 = 291 + 26 + 189.
        { "xai", "xai-tool-call.json", 47, 244, 215, 189 },
    };

    // Same columns, for the last usage-bearing chunk of each stream recording.
    public static TheoryData<string, string, long, long, long, long> Streams => new()
    {
        { "openai", "openai-text.chunks.txt", 16, 0, 300, 0 },
        // Groq repeats usage under x_groq; only the top-level one counts.
        { "groq", "groq-tool-call.chunks.txt", 210, 0, 15, 0 },
        { "deepseek", "deepseek-reasoning.chunks.txt", 18, 0, 219, 205 },
        { "deepseek", "deepseek-text.chunks.txt", 13, 0, 400, 0 },
        { "deepseek", "deepseek-tool-call.chunks.txt", 19, 320, 83, 39 },
        { "mistral", "mistral-text.chunks.txt", 13, 0, 8, 0 },
        { "mistral", "mistral-tool-call.chunks.txt", 124, 0, 22, 0 },
        // Moonshot: total 21 = 9 + 12, so reasoning 7 is inside completion 12.
        { "moonshot", "moonshotai-stream.chunks.txt", 9, 0, 12, 7 },
        // xAI: prompt 291 with 290 cached; total 513 = 291 + 26 + 196 -> output 26 + 196 = 222.
        { "xai", "xai-tool-call.chunks.txt", 1, 290, 222, 196 },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void TryFindUsage_RecordedResponse_MatchesHandReadNumbers(string provider, string file, long input, long cacheRead, long output, long reasoning)
    {
        var body = Recordings.ReadBytes(provider, file);

        Assert.True(OpenAIUsage.TryFindUsage(body, out var usage));

        AssertUsage(usage, input, cacheRead, output, reasoning);
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void TryParse_RecordedUsageObject_MatchesTryFindUsage(string provider, string file, long input, long cacheRead, long output, long reasoning)
    {
        using var doc = JsonDocument.Parse(Recordings.ReadBytes(provider, file));
        var usageJson = Encoding.UTF8.GetBytes(doc.RootElement.GetProperty("usage").GetRawText());

        Assert.True(OpenAIUsage.TryParse(usageJson, out var usage));

        AssertUsage(usage, input, cacheRead, output, reasoning);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void TryFindUsage_LastUsageChunkOfStream_MatchesHandReadNumbers(string provider, string file, long input, long cacheRead, long output, long reasoning)
    {
        TokenUsage? last = null;
        foreach (var line in Recordings.ReadChunks(provider, file))
        {
            if (OpenAIUsage.TryFindUsage(Encoding.UTF8.GetBytes(line), out var u))
            {
                last = u;
            }
        }

        Assert.NotNull(last);
        AssertUsage(last, input, cacheRead, output, reasoning);
    }

    [Fact]
    public void TryFindUsage_OpenAIStreamChunksWithNullUsage_ReturnsFalse()
    {
        var lines = Recordings.ReadChunks("openai", "openai-text.chunks.txt");

        // Every chunk but the last carries "usage": null.
        var withUsage = lines.Count(l => OpenAIUsage.TryFindUsage(Encoding.UTF8.GetBytes(l), out _));

        Assert.Equal(1, withUsage);
    }

    [Fact]
    public void TryFindUsage_StreamChunks_AllocatesOnlyTheResult()
    {
        var lines = Recordings.ReadChunks("openai", "openai-text.chunks.txt").Select(Encoding.UTF8.GetBytes).ToArray();
        var withUsage = lines[^1];
        var withoutUsage = lines[0];
        OpenAIUsage.TryFindUsage(withUsage, out _);
        OpenAIUsage.TryFindUsage(withoutUsage, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        OpenAIUsage.TryFindUsage(withoutUsage, out _);
        var afterNull = GC.GetAllocatedBytesForCurrentThread();
        OpenAIUsage.TryFindUsage(withUsage, out _);
        var afterUsage = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, afterNull - before);
        // One TokenUsage: an object header plus eight longs, well under 128 bytes.
        Assert.InRange(afterUsage - afterNull, 1, 128);
    }

    [Fact]
    public void TryFindUsage_ErrorBody_ReturnsFalse()
    {
        var body = Recordings.ReadBytes("openai", "reasoning-model-legacy-parameter-error.json");

        Assert.False(OpenAIUsage.TryFindUsage(body, out var usage));
        Assert.Same(TokenUsage.Empty, usage);
    }

    [Fact]
    public void TryFindUsage_XaiRecordings_CostMatchesProvidersOwnTicks()
    {
        // xAI reports its own charge in cost_in_usd_ticks (1 tick = 1e-10 USD). grok-3-mini sells at
        // $0.30 input, $0.075 cached input, $0.50 output per 1M tokens.
        // Response: 47 * 0.30 + 244 * 0.075 + 215 * 0.50 = 14.1 + 18.3 + 107.5 = 139.9 per 1M
        //   = 0.0001399 USD = 1,399,000 ticks (the file says 1399000).
        // Stream:   1 * 0.30 + 290 * 0.075 + 222 * 0.50 = 0.3 + 21.75 + 111 = 133.05 per 1M
        //   = 0.00013305 USD = 1,330,500 ticks (the file says 1330500).
        // Counting reasoning inside completion instead would give output 26 and miss both by far.
        var model = new ModelEntry
        {
            Provider = "xai",
            Model = "grok-3-mini",
            Prices = new ModelPrices { Input = 0.30m, CachedInput = 0.075m, Output = 0.50m },
        };

        Assert.True(OpenAIUsage.TryFindUsage(Recordings.ReadBytes("xai", "xai-tool-call.json"), out var response));
        var streamLine = Recordings.ReadChunks("xai", "xai-tool-call.chunks.txt")[^1];
        Assert.True(OpenAIUsage.TryFindUsage(Encoding.UTF8.GetBytes(streamLine), out var stream));

        Assert.Equal(1_399_000m / 10_000_000_000m, CostCalculator.Calculate(model, response).Total);
        Assert.Equal(1_330_500m / 10_000_000_000m, CostCalculator.Calculate(model, stream).Total);
    }

    [Fact]
    public void TryFindUsage_XaiRecordingWithImportedLiteLlmPrices_MatchesProvidersOwnTicks()
    {
        // The same check end to end: prices from the LiteLLM file (xai/grok-3-mini: 3e-07, 7.5e-08, 5e-07 per token),
        // usage from the recording; 0.0001399 USD as computed above, 1,399,000 ticks in the file.
        var litellm = Path.Combine(Recordings.Root, "..", "..", "data", "litellm-model-prices-2026-08.json");
        var model = Assert.Single(LiteLlmImporter.Import(litellm).Models, m => m.Id == "xai/grok-3-mini");

        Assert.True(OpenAIUsage.TryFindUsage(Recordings.ReadBytes("xai", "xai-tool-call.json"), out var usage));

        Assert.Equal(0.0001399m, CostCalculator.Calculate(model, usage).Total);
    }

    [Fact]
    public void TryParse_OpenAICachedReasoningAndAudio_CountsEachOnce()
    {
        var json = """
            {"prompt_tokens":1200,"completion_tokens":500,"total_tokens":1700,
             "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":100},
             "completion_tokens_details":{"reasoning_tokens":320,"audio_tokens":60,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}
            """u8;

        Assert.True(OpenAIUsage.TryParse(json, out var usage));

        // 1200 - 1024 cached = 176 uncached, of which 100 audio; output 500 with 320 reasoning inside (1700 = 1200 + 500).
        Assert.Equal(176, usage.InputTokens);
        Assert.Equal(1024, usage.CacheReadTokens);
        Assert.Equal(100, usage.InputAudioTokens);
        Assert.Equal(500, usage.OutputTokens);
        Assert.Equal(320, usage.ReasoningTokens);
        Assert.Equal(60, usage.OutputAudioTokens);
        Assert.Equal(1700, usage.TotalTokens);
    }

    [Fact]
    public void TryParse_MoonshotTopLevelCachedTokens_SplitsPrompt()
    {
        Assert.True(OpenAIUsage.TryParse("""{"prompt_tokens":100,"completion_tokens":7,"total_tokens":107,"cached_tokens":64}"""u8, out var usage));

        Assert.Equal(36, usage.InputTokens);
        Assert.Equal(64, usage.CacheReadTokens);
        Assert.Equal(7, usage.OutputTokens);
    }

    [Fact]
    public void TryParse_ZhipuCachedTokensInDetails_SplitsPrompt()
    {
        Assert.True(OpenAIUsage.TryParse("""{"prompt_tokens":2048,"completion_tokens":10,"total_tokens":2058,"prompt_tokens_details":{"cached_tokens":2000}}"""u8, out var usage));

        Assert.Equal(48, usage.InputTokens);
        Assert.Equal(2000, usage.CacheReadTokens);
        Assert.Equal(10, usage.OutputTokens);
    }

    [Fact]
    public void TryParse_OpenRouterCacheWrites_SplitOutOfPrompt()
    {
        // OpenRouter's documented example: 194 prompt tokens of which 100 written to the cache; total 196 = 194 + 2.
        var json = """{"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":0},"cost":0.95,"cost_details":{"upstream_inference_cost":19},"prompt_tokens":194,"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":100,"audio_tokens":0},"total_tokens":196}"""u8;

        Assert.True(OpenAIUsage.TryParse(json, out var usage));

        Assert.Equal(94, usage.InputTokens);
        Assert.Equal(100, usage.CacheWrite5mTokens);
        Assert.Equal(0, usage.CacheReadTokens);
        Assert.Equal(2, usage.OutputTokens);
        Assert.Equal(196, usage.TotalTokens);
    }

    [Fact]
    public void TryParse_CacheReadsAndWritesExceedPrompt_ReturnsFalse()
    {
        Assert.False(OpenAIUsage.TryParse("""{"prompt_tokens":100,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":60,"cache_write_tokens":50}}"""u8, out _));
    }

    [Fact]
    public void TryParse_DeepSeekHitMiss_WinsOverDetails()
    {
        // The details claim 0 cached; DeepSeek's own hit/miss split is what it bills.
        Assert.True(OpenAIUsage.TryParse("""{"prompt_tokens":100,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":0},"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}"""u8, out var usage));

        Assert.Equal(36, usage.InputTokens);
        Assert.Equal(64, usage.CacheReadTokens);
    }

    [Fact]
    public void TryParse_ReasoningExceedsCompletionWithoutTotal_AddsReasoning()
    {
        // No total_tokens to tell; 196 reasoning cannot be a part of 26 completion tokens.
        Assert.True(OpenAIUsage.TryParse("""{"prompt_tokens":291,"completion_tokens":26,"completion_tokens_details":{"reasoning_tokens":196}}"""u8, out var usage));

        Assert.Equal(222, usage.OutputTokens);
        Assert.Equal(196, usage.ReasoningTokens);
    }

    [Fact]
    public void TryParse_ReasoningInsideCompletionWithoutTotal_KeepsCompletion()
    {
        Assert.True(OpenAIUsage.TryParse("""{"prompt_tokens":10,"completion_tokens":300,"completion_tokens_details":{"reasoning_tokens":200}}"""u8, out var usage));

        Assert.Equal(300, usage.OutputTokens);
        Assert.Equal(200, usage.ReasoningTokens);
    }

    [Fact]
    public void TryParse_TotalSaysInsideButReasoningExceedsCompletion_ReturnsFalse()
    {
        Assert.False(OpenAIUsage.TryParse("""{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"completion_tokens_details":{"reasoning_tokens":9}}"""u8, out _));
    }

    [Fact]
    public void TryParse_EmbeddingsUsage_InputOnly()
    {
        Assert.True(OpenAIUsage.TryParse("""{"prompt_tokens":8,"total_tokens":8}"""u8, out var usage));

        Assert.Equal(8, usage.InputTokens);
        Assert.Equal(0, usage.OutputTokens);
        Assert.Equal(8, usage.TotalTokens);
    }

    [Fact]
    public void TryParse_NullDetailsAndUnknownNestedFields_Ignored()
    {
        // OpenRouter-style nulls and an unknown nested object with a "prompt_tokens" inside it.
        var json = """{"prompt_tokens":12,"completion_tokens":3,"completion_tokens_details":null,"prompt_tokens_details":null,"cost":0.0001,"x_groq":{"usage":{"prompt_tokens":999}},"is_byok":false}"""u8;

        Assert.True(OpenAIUsage.TryParse(json, out var usage));

        Assert.Equal(12, usage.InputTokens);
        Assert.Equal(3, usage.OutputTokens);
    }

    public static TheoryData<string> Garbage => new()
    {
        "",
        "null",
        "[]",
        "42",
        "\"usage\"",
        "{",
        """{"prompt_tokens":12,"completion_tokens":""",
        """{"prompt_tokens":12,"completion_tokens":3""",
        """{"prompt_tokens":"12","completion_tokens":3}""",
        """{"prompt_tokens":12,"completion_tokens":"3"}""",
        """{"prompt_tokens":-1,"completion_tokens":3}""",
        """{"prompt_tokens":12,"completion_tokens":-3}""",
        """{"prompt_tokens":12.5,"completion_tokens":3}""",
        """{"prompt_tokens":12,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":"4"}}""",
        """{"prompt_tokens":12,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":13}}""",
        """{"prompt_tokens":12,"completion_tokens":3,"prompt_tokens_details":[1]}""",
        """{"prompt_tokens":99999999999999999999999,"completion_tokens":3}""",
        """{"prompt_tokens":1,"completion_tokens":9223372036854775807,"completion_tokens_details":{"reasoning_tokens":9223372036854775807}}""",
        """{"completion_tokens":3}""",
        """{"prompt_tokens":12} trailing""",
        "\u00ff\u00fe",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void TryParse_Garbage_ReturnsFalse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.False(OpenAIUsage.TryParse(bytes, out var usage));
        Assert.Same(TokenUsage.Empty, usage);
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void TryFindUsage_GarbageUsage_ReturnsFalse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes("{\"id\":\"x\",\"usage\":" + text + "}");

        Assert.False(OpenAIUsage.TryFindUsage(bytes, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"usage\":")]
    [InlineData("{\"choices\":[{\"usage\":{\"prompt_tokens\":1}}]}")]
    [InlineData("{\"usage\":null}")]
    public void TryFindUsage_NoTopLevelUsage_ReturnsFalse(string text)
    {
        Assert.False(OpenAIUsage.TryFindUsage(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void TryParse_Reader_LeavesReaderOnEndObjectEvenWhenInvalid()
    {
        var json = """{"a":{"prompt_tokens":"bad","completion_tokens":{"x":[1,2]}},"b":{"prompt_tokens":5,"completion_tokens":2},"c":1}"""u8;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        reader.Read(); // "a"
        reader.Read(); // {

        Assert.False(OpenAIUsage.TryParse(ref reader, out _));
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);

        reader.Read(); // "b"
        Assert.True(reader.ValueTextEquals("b"u8));
        reader.Read();
        Assert.True(OpenAIUsage.TryParse(ref reader, out var usage));
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.Equal(5, usage.InputTokens);

        reader.Read();
        Assert.True(reader.ValueTextEquals("c"u8));
    }

    [Fact]
    public void TryParse_ReaderNotOnObject_ReturnsFalseWithoutMoving()
    {
        var reader = new Utf8JsonReader("[1]"u8);
        reader.Read();

        Assert.False(OpenAIUsage.TryParse(ref reader, out _));
        Assert.Equal(JsonTokenType.StartArray, reader.TokenType);
    }

    [Fact]
    public void TryParse_ReaderOnIncompleteBlock_ReturnsFalse()
    {
        var reader = new Utf8JsonReader("""{"prompt_tokens":5,"completion_tokens":"""u8, isFinalBlock: false, state: default);
        reader.Read();

        Assert.False(OpenAIUsage.TryParse(ref reader, out _));
    }

    private static void AssertUsage(TokenUsage usage, long input, long cacheRead, long output, long reasoning)
    {
        Assert.Equal(input, usage.InputTokens);
        Assert.Equal(cacheRead, usage.CacheReadTokens);
        Assert.Equal(output, usage.OutputTokens);
        Assert.Equal(reasoning, usage.ReasoningTokens);
        Assert.Equal(0, usage.CacheWrite5mTokens + usage.CacheWrite1hTokens);
    }
}
