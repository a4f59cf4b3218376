using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiUsageTests
{
    [Fact]
    public void ParseResponse_TextRecording_ThoughtsAddedToOutputAndTotalsMatch()
    {
        var usage = GeminiUsage.ParseResponse(GeminiRecordings.Bytes("google-text.json"));

        Assert.NotNull(usage);
        Assert.Equal(9, usage.InputTokens);
        Assert.Equal(0, usage.CacheReadTokens);
        Assert.Equal(28 + 244, usage.OutputTokens);
        Assert.Equal(244, usage.ReasoningTokens);
        // The recording's totalTokenCount (281) = prompt 9 + candidates 28 + thoughts 244: thoughts are outside candidates.
        Assert.Equal(281, usage.TotalTokens);
    }

    [Theory]
    [InlineData("google-reasoning.json")]
    [InlineData("google-tool-call.json")]
    [InlineData("google-text.json")]
    public void ParseResponse_EveryRecording_TotalEqualsReportedTotal(string recording)
    {
        var bytes = GeminiRecordings.Bytes(recording);
        using var doc = JsonDocument.Parse(bytes);
        var reported = doc.RootElement.GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt64();

        var usage = GeminiUsage.ParseResponse(bytes);

        Assert.NotNull(usage);
        Assert.Equal(reported, usage.TotalTokens);
    }

    [Fact]
    public void Parse_CachedContent_SplitOutOfPrompt()
    {
        using var doc = JsonDocument.Parse("""
            {"promptTokenCount":1000,"cachedContentTokenCount":600,"candidatesTokenCount":50,"thoughtsTokenCount":10,"totalTokenCount":1060}
            """);

        var usage = GeminiUsage.Parse(doc.RootElement);

        Assert.Equal(400, usage.InputTokens);
        Assert.Equal(600, usage.CacheReadTokens);
        Assert.Equal(60, usage.OutputTokens);
        Assert.Equal(10, usage.ReasoningTokens);
        Assert.Equal(1000, usage.PromptTokens);
    }

    [Fact]
    public void Parse_AudioAndToolUse_AudioPartAndToolUseInput()
    {
        using var doc = JsonDocument.Parse("""
            {"promptTokenCount":300,"cachedContentTokenCount":100,"toolUsePromptTokenCount":20,"candidatesTokenCount":40,
             "promptTokensDetails":[{"modality":"TEXT","tokenCount":100},{"modality":"AUDIO","tokenCount":200}],
             "cacheTokensDetails":[{"modality":"AUDIO","tokenCount":100}],
             "candidatesTokensDetails":[{"modality":"AUDIO","tokenCount":30}]}
            """);

        var usage = GeminiUsage.Parse(doc.RootElement);

        Assert.Equal(300 - 100 + 20, usage.InputTokens);
        Assert.Equal(200 - 100, usage.InputAudioTokens);
        Assert.Equal(30, usage.OutputAudioTokens);
        Assert.Equal(40, usage.OutputTokens);
    }

    [Fact]
    public void ParseResponse_NoUsageOrBadJson_Null()
    {
        Assert.Null(GeminiUsage.ParseResponse("{\"candidates\":[]}"u8));
        Assert.Null(GeminiUsage.ParseResponse("{not json"u8));
    }

    [Fact]
    public void WriteOpenAIUsage_CachedAndReasoning_OpenAIFieldsAndCost()
    {
        var usage = new TokenUsage { InputTokens = 400, CacheReadTokens = 600, OutputTokens = 60, ReasoningTokens = 10 };
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            GeminiUsage.WriteOpenAIUsage(w, usage, 0.00123m);
        }

        var node = JsonNode.Parse(Encoding.UTF8.GetString(ms.ToArray()))!;
        Assert.Equal(1000, node["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(60, node["completion_tokens"]!.GetValue<long>());
        Assert.Equal(1060, node["total_tokens"]!.GetValue<long>());
        Assert.Equal(600, node["prompt_tokens_details"]!["cached_tokens"]!.GetValue<long>());
        Assert.Equal(10, node["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(0.00123m, node["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public void WriteOpenAIUsage_NoCost_NoCostField()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            GeminiUsage.WriteOpenAIUsage(w, new TokenUsage { InputTokens = 1 });
        }

        Assert.Null(JsonNode.Parse(ms.ToArray())!["cost"]);
    }
}
