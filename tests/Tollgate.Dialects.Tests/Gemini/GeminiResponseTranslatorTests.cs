using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiResponseTranslatorTests
{
    private static readonly GeminiResponseOptions Options = new() { Model = "gemini-3-pro-preview", Created = 1_700_000_000 };

    private static (JsonNode Root, GeminiResponseTranslation Result) Run(string recording, GeminiResponseOptions? options = null)
    {
        var result = GeminiResponseTranslator.Translate(GeminiRecordings.Bytes(recording), options ?? Options);
        return (JsonNode.Parse(result.Body)!, result);
    }

    private static JsonElement Recorded(string recording) => JsonDocument.Parse(GeminiRecordings.Bytes(recording)).RootElement;

    [Fact]
    public void Translate_TextRecording_ContentFinishUsageAndSignature()
    {
        var (root, result) = Run("google-text.json");
        var part = Recorded("google-text.json").GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0];

        Assert.Equal("chat.completion", root["object"]!.GetValue<string>());
        Assert.Equal("chatcmpl-Un6LacrVMcjUxs0PmJfWoQc", root["id"]!.GetValue<string>());
        Assert.Equal(1_700_000_000, root["created"]!.GetValue<long>());
        var choice = root["choices"]![0]!;
        Assert.Equal(0, choice["index"]!.GetValue<int>());
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        Assert.Equal(part.GetProperty("text").GetString(), choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal(part.GetProperty("thoughtSignature").GetString(), choice["message"]!["extra_content"]!["google"]!["thought_signature"]!.GetValue<string>());
        Assert.Null(choice["message"]!["tool_calls"]);

        var usage = root["usage"]!;
        Assert.Equal(9, usage["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(28 + 244, usage["completion_tokens"]!.GetValue<long>());
        Assert.Equal(281, usage["total_tokens"]!.GetValue<long>());
        Assert.Equal(244, usage["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(272, result.Usage.OutputTokens);
    }

    [Fact]
    public void Translate_ReasoningRecording_TextAndThoughtTokens()
    {
        var (root, _) = Run("google-reasoning.json");

        var message = root["choices"]![0]!["message"]!;
        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", message["content"]!.GetValue<string>());
        Assert.Equal(282, root["usage"]!["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(29 + 282, root["usage"]!["completion_tokens"]!.GetValue<long>());
        Assert.Equal(320, root["usage"]!["total_tokens"]!.GetValue<long>());
    }

    [Fact]
    public void Translate_ToolCallRecording_ToolCallWithArgsIdAndSignature()
    {
        var (root, result) = Run("google-tool-call.json");
        var signature = Recorded("google-tool-call.json").GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("thoughtSignature").GetString();

        var choice = root["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("tool_calls", result.FinishReason);
        Assert.Null(choice["message"]!["content"]);
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Equal("function", call["type"]!.GetValue<string>());
        Assert.Equal("weather", call["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"location":"San Francisco"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal(signature, call["extra_content"]!["google"]!["thought_signature"]!.GetValue<string>());
        var id = call["id"]!.GetValue<string>();
        Assert.StartsWith("call_m36LaZGyCLz1xs0PtNSBQU_0__ts_", id);
        Assert.Equal(signature, GeminiToolCallIds.SignatureFrom(id));
        Assert.Equal(29, root["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(15 + 893, root["usage"]!["completion_tokens"]!.GetValue<long>());
    }

    [Fact]
    public void Translate_EmbedOff_IdWithoutSignatureButExtraContentKept()
    {
        var (root, _) = Run("google-tool-call.json", Options with { EmbedThoughtSignatureInToolCallId = false });

        var call = root["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Equal("call_m36LaZGyCLz1xs0PtNSBQU_0", call["id"]!.GetValue<string>());
        Assert.NotNull(call["extra_content"]!["google"]!["thought_signature"]);
    }

    [Fact]
    public void Translate_Cost_WrittenInUsage()
    {
        var (root, _) = Run("google-text.json", Options with { Cost = 0.0032m });

        Assert.Equal(0.0032m, root["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public void Translate_ThoughtPartsAndParallelCalls_ReasoningAndIndexedCalls()
    {
        var body = """
            {"candidates":[{"content":{"role":"model","parts":[
              {"text":"Thinking about weather","thought":true},
              {"text":"Let me check."},
              {"functionCall":{"name":"weather","args":{"city":"Paris"}},"thoughtSignature":"c2lnMQ=="},
              {"functionCall":{"name":"time","args":{}}}]},"finishReason":"STOP","index":0}],
             "responseId":"r1","modelVersion":"gemini-2.5-flash"}
            """u8;

        var root = JsonNode.Parse(GeminiResponseTranslator.Translate(body, new GeminiResponseOptions()).Body)!;

        var message = root["choices"]![0]!["message"]!;
        Assert.Equal("gemini-2.5-flash", root["model"]!.GetValue<string>());
        Assert.Equal("Let me check.", message["content"]!.GetValue<string>());
        Assert.Equal("Thinking about weather", message["reasoning_content"]!.GetValue<string>());
        Assert.Equal("call_r1_0__ts_c2lnMQ", message["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("call_r1_1", message["tool_calls"]![1]!["id"]!.GetValue<string>());
        Assert.Equal("{}", message["tool_calls"]![1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Null(message["tool_calls"]![1]!["extra_content"]);
        Assert.Equal(0, root["usage"]!["prompt_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("OTHER", "stop")]
    public void Translate_FinishReason_Mapped(string gemini, string openAI)
    {
        var body = $$$"""{"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"{{{gemini}}}","index":0}]}""";

        var result = GeminiResponseTranslator.Translate(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(openAI, JsonNode.Parse(result.Body)!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_PromptBlocked_ContentFilterChoice()
    {
        var body = """{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}"""u8;

        var result = GeminiResponseTranslator.Translate(body);
        var root = JsonNode.Parse(result.Body)!;

        Assert.Equal("content_filter", root["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Null(root["choices"]![0]!["message"]!["content"]);
        Assert.Equal(7, result.Usage.InputTokens);
    }

    [Fact]
    public void Translate_TwoCandidates_TwoChoices()
    {
        var body = """
            {"candidates":[
              {"content":{"role":"model","parts":[{"text":"a"}]},"finishReason":"STOP","index":0},
              {"content":{"role":"model","parts":[{"text":"b"}]},"finishReason":"MAX_TOKENS","index":1}]}
            """u8;

        var root = JsonNode.Parse(GeminiResponseTranslator.Translate(body).Body)!;

        Assert.Equal("b", root["choices"]![1]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(1, root["choices"]![1]!["index"]!.GetValue<int>());
        Assert.Equal("length", root["choices"]![1]!["finish_reason"]!.GetValue<string>());
    }
}
