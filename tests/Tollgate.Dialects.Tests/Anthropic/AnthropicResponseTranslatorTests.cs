using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic;

namespace Tollgate.Dialects.Tests.Anthropic;

public sealed class AnthropicResponseTranslatorTests
{
    private static readonly AnthropicResponseOptions Options = new() { Created = 1_790_000_000 };

    [Fact]
    public void TryTranslate_TextRecording_ContentFinishAndUsage()
    {
        var (result, body) = Translate("anthropic-text.json", Options with { Cost = static u => 0.000471m });

        var message = body["choices"]![0]!["message"]!;
        Assert.Equal("msg_01VdEjxAP5ahtHKrrRdNBteQ", (string?)body["id"]);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal(1_790_000_000, (long)body["created"]!);
        Assert.Equal("claude-sonnet-4-5-20250929", (string?)body["model"]);
        Assert.Equal("assistant", (string?)message["role"]);
        Assert.Equal("Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?", (string?)message["content"]);
        Assert.Null(message["tool_calls"]);
        Assert.Equal("stop", (string?)body["choices"]![0]!["finish_reason"]);
        Assert.Equal(12, (long)body["usage"]!["prompt_tokens"]!);
        Assert.Equal(29, (long)body["usage"]!["completion_tokens"]!);
        Assert.Equal(41, (long)body["usage"]!["total_tokens"]!);
        Assert.Equal(0.000471m, (decimal)body["usage"]!["cost"]!);
        Assert.Equal(12, result.Usage.InputTokens);
        Assert.Equal(29, result.Usage.OutputTokens);
    }

    [Fact]
    public void TryTranslate_ThinkingRecording_ReasoningAndSignatureKept()
    {
        var (result, body) = Translate("anthropic-clear-thinking.1.json", Options with { Model = "my-claude" });
        var source = JsonNode.Parse(Recordings.Bytes("anthropic-clear-thinking.1.json"))!;

        var message = body["choices"]![0]!["message"]!;
        Assert.Equal("my-claude", (string?)body["model"]);
        Assert.Equal("925 ÷ 5 = 185", (string?)message["content"]);
        Assert.Equal("925 divided by 5 = 185", (string?)message["reasoning_content"]);
        var block = message["thinking_blocks"]![0]!;
        Assert.Equal("thinking", (string?)block["type"]);
        Assert.Equal((string?)source["content"]![0]!["signature"], (string?)block["signature"]);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal(69, result.Usage.InputTokens);
        Assert.Equal(33, result.Usage.OutputTokens);
    }

    [Fact]
    public void TryTranslate_ToolRecording_ToolCallWithArgumentsAsJsonString()
    {
        var (result, body) = Translate("anthropic-json-tool.1.json", Options);
        var source = JsonNode.Parse(Recordings.Bytes("anthropic-json-tool.1.json"))!;

        var call = body["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Single(body["choices"]![0]!["message"]!["tool_calls"]!.AsArray());
        Assert.Equal("toolu_01Q9ExVZnzZj7E2QQYHYtNUa", (string?)call["id"]);
        Assert.Equal("function", (string?)call["type"]);
        Assert.Equal("json", (string?)call["function"]!["name"]);
        var arguments = JsonNode.Parse((string)call["function"]!["arguments"]!);
        Assert.True(JsonNode.DeepEquals(source["content"]![0]!["input"], arguments));
        // content is present and JSON null, as OpenAI sends it alongside tool calls
        Assert.True(body["choices"]![0]!["message"]!.AsObject().TryGetPropertyValue("content", out var content));
        Assert.Null(content);
        Assert.Equal("tool_calls", result.FinishReason);
        // 1151 input, 87 output
        Assert.Equal(1238, (long)body["usage"]!["total_tokens"]!);
    }

    [Fact]
    public void TryTranslate_ToolRecordingAsJsonResponseTool_InputBecomesContent()
    {
        var (result, body) = Translate("anthropic-json-tool.1.json", Options with { JsonToolName = "json" });
        var source = JsonNode.Parse(Recordings.Bytes("anthropic-json-tool.1.json"))!;

        var message = body["choices"]![0]!["message"]!;
        Assert.Null(message["tool_calls"]);
        Assert.True(JsonNode.DeepEquals(source["content"]![0]!["input"], JsonNode.Parse((string)message["content"]!)));
        Assert.Equal("stop", result.FinishReason);
    }

    [Fact]
    public void TryTranslate_RefusalRecording_ContentFilterWithExplanation()
    {
        var (result, body) = Translate("anthropic-refusal.json", Options);

        var message = body["choices"]![0]!["message"]!;
        Assert.Equal("content_filter", result.FinishReason);
        Assert.Equal("content_filter", (string?)body["choices"]![0]!["finish_reason"]);
        Assert.StartsWith("This request triggered restrictions", (string?)message["refusal"], StringComparison.Ordinal);
        Assert.Equal(18, (long)body["usage"]!["prompt_tokens"]!);
        Assert.Equal(5, (long)body["usage"]!["completion_tokens"]!);
    }

    [Theory]
    [InlineData("max_tokens", "length")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData("tool_use", "tool_calls")]
    public void TryTranslate_StopReasons_MapToFinishReasons(string stopReason, string expected)
    {
        var json = """{"id":"m","model":"c","content":[{"type":"text","text":"x"}],"stop_reason":"STOP","usage":{"input_tokens":1,"output_tokens":1}}""".Replace("STOP", stopReason, StringComparison.Ordinal);

        Assert.True(AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), Options, out var result));
        Assert.Equal(expected, result!.FinishReason);
    }

    [Fact]
    public void TryTranslate_CacheUsage_PromptIsTotalAndWritesVisible()
    {
        var json = """{"id":"m","model":"c","content":[],"stop_reason":"end_turn","usage":{"input_tokens":4,"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600},"output_tokens":9}}"""u8;

        Assert.True(AnthropicResponseTranslator.TryTranslate(json, Options, out var result));
        var usage = JsonNode.Parse(result!.Body)!["usage"]!;
        // 4 + 1000 + 5000
        Assert.Equal(6004, (long)usage["prompt_tokens"]!);
        Assert.Equal(5000, (long)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(1000, (long)usage["cache_creation_input_tokens"]!);
        Assert.Equal(400, result.Usage.CacheWrite5mTokens);
        Assert.Equal(600, result.Usage.CacheWrite1hTokens);
    }

    [Fact]
    public void TryTranslate_NotAMessage_ReturnsFalse()
    {
        Assert.False(AnthropicResponseTranslator.TryTranslate("<html>"u8, Options, out _));
        Assert.False(AnthropicResponseTranslator.TryTranslate("""{"type":"error"}"""u8, Options, out _));
    }

    [Theory]
    [InlineData("invalid_request_error", 400, 400, "invalid_request_error")]
    [InlineData("authentication_error", 401, 401, "authentication_error")]
    [InlineData("rate_limit_error", 429, 429, "rate_limit_error")]
    [InlineData("overloaded_error", 529, 503, "server_error")]
    [InlineData("api_error", 500, 500, "server_error")]
    public void TranslateError_AnthropicError_OpenAIShapeAndStatus(string type, int upstream, int status, string openAIType)
    {
        var json = """{"type":"error","error":{"type":"TYPE","message":"Something happened"},"request_id":"req_1"}""".Replace("TYPE", type, StringComparison.Ordinal);

        var error = AnthropicResponseTranslator.TranslateError(Encoding.UTF8.GetBytes(json), upstream);

        var body = JsonNode.Parse(error.Body)!["error"]!;
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("Something happened", (string?)body["message"]);
        Assert.Equal(openAIType, (string?)body["type"]);
        Assert.Equal(type, (string?)body["code"]);
    }

    [Fact]
    public void TranslateError_NotJson_GenericErrorWithUpstreamStatus()
    {
        var error = AnthropicResponseTranslator.TranslateError("Bad Gateway"u8, 502);

        Assert.Equal(502, error.StatusCode);
        Assert.NotNull((string?)JsonNode.Parse(error.Body)!["error"]!["message"]);
    }

    private static (AnthropicResponseResult Result, JsonNode Body) Translate(string recording, AnthropicResponseOptions options)
    {
        Assert.True(AnthropicResponseTranslator.TryTranslate(Recordings.Bytes(recording), options, out var result));
        return (result!, JsonNode.Parse(result!.Body)!);
    }
}
