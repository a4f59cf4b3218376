using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini.Inbound;

namespace Tollgate.Dialects.Tests.Gemini.Inbound;

public sealed class GeminiInboundResponseTranslatorTests
{
    private static readonly Func<TokenUsage, decimal?> Price = u => u.TotalTokens * 0.000001m;

    [Fact]
    public void Translate_TextReasoningAndToolCalls_AreGeminiParts()
    {
        var body = Translate("""
            {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"finish_reason":"tool_calls",
              "message":{"role":"assistant","content":"Checking.","reasoning_content":"Use the tool.",
                "tool_calls":[{"id":"call_7","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]}}],
             "usage":{"prompt_tokens":100,"completion_tokens":30,"total_tokens":130,
               "prompt_tokens_details":{"cached_tokens":40},"completion_tokens_details":{"reasoning_tokens":10}}}
            """);

        var expected = JsonNode.Parse("""
            {"candidates":[{"content":{"parts":[{"text":"Use the tool.","thought":true},{"text":"Checking."},
               {"functionCall":{"id":"call_7","name":"weather","args":{"city":"Oslo"}}}],"role":"model"},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"thoughtsTokenCount":10,"cachedContentTokenCount":40,"totalTokenCount":130},
             "modelVersion":"client-model","responseId":"chatcmpl-1","tollgate":{"cost":0.00013}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString());
    }

    [Fact]
    public void Translate_ThinkingBlocks_AreSignedThoughtParts()
    {
        var body = Translate("""
            {"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Done.","reasoning_content":"Think.",
              "thinking_blocks":[{"type":"thinking","thinking":"Think.","signature":"sig1"},{"type":"redacted_thinking","data":"opaque"}]}}]}
            """);
        var expected = JsonNode.Parse("""
            [{"text":"Think.","thought":true,"thoughtSignature":"sig1"},{"text":"","thought":true,"thoughtSignature":"redacted:opaque"},{"text":"Done."}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["candidates"]![0]!["content"]!["parts"]), body.ToJsonString());
    }

    [Theory]
    [InlineData("stop", "STOP")]
    [InlineData("length", "MAX_TOKENS")]
    [InlineData("content_filter", "SAFETY")]
    [InlineData("something_else", "OTHER")]
    public void Translate_FinishReasons_AreGeminis(string openAI, string gemini)
    {
        var body = Translate($$$"""{"choices":[{"index":0,"finish_reason":"{{{openAI}}}","message":{"role":"assistant","content":"x"}}]}""");
        Assert.Equal(gemini, (string?)body["candidates"]![0]!["finishReason"]);
        Assert.Null(body["tollgate"]);
    }

    [Fact]
    public void Translate_NotAChatCompletion_IsNull()
    {
        Assert.Null(GeminiInboundResponseTranslator.Translate("""{"error":{"message":"x"}}"""u8, "m", Price));
        Assert.Null(GeminiInboundResponseTranslator.Translate("not json"u8, "m", Price));
    }

    [Fact]
    public void Errors_AreGeminisShapeWithTheStatusName()
    {
        var body = JsonNode.Parse(GeminiInboundErrors.FromOpenAI(429, """{"error":{"message":"Slow down.","type":"rate_limit_error"}}"""u8))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"error":{"code":429,"message":"Slow down.","status":"RESOURCE_EXHAUSTED"}}"""), body), body.ToJsonString());
        Assert.Equal("UNAUTHENTICATED", GeminiInboundErrors.StatusName(401));
        Assert.Equal("PERMISSION_DENIED", GeminiInboundErrors.StatusName(403));
        Assert.Equal("NOT_FOUND", GeminiInboundErrors.StatusName(404));
        Assert.Equal("UNAVAILABLE", GeminiInboundErrors.StatusName(503));
        Assert.Equal("DEADLINE_EXCEEDED", GeminiInboundErrors.StatusName(504));
        Assert.Equal("INTERNAL", GeminiInboundErrors.StatusName(500));
        Assert.Equal("The upstream provider answered 502.", (string?)JsonNode.Parse(GeminiInboundErrors.FromOpenAI(502, "<html>"u8))!["error"]!["message"]);
    }

    private static JsonNode Translate(string openAI)
    {
        var bytes = GeminiInboundResponseTranslator.Translate(Encoding.UTF8.GetBytes(openAI), "client-model", Price);
        Assert.NotNull(bytes);
        return JsonNode.Parse(bytes)!;
    }
}
