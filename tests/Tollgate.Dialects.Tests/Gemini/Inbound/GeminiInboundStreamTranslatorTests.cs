using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini.Inbound;

namespace Tollgate.Dialects.Tests.Gemini.Inbound;

public sealed class GeminiInboundStreamTranslatorTests
{
    [Fact]
    public void Translate_TextThenToolCallFragmentsThenUsage_ResponsesInGeminisOrder()
    {
        var translator = new GeminiInboundStreamTranslator("m", u => u.TotalTokens * 0.000001m);
        var output = new List<byte[]>();
        foreach (var chunk in new[]
        {
            """{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"hmm"}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
        })
        {
            translator.Translate(Encoding.UTF8.GetBytes(chunk), output);
        }

        // The finish waits for the usage chunk.
        Assert.Equal(3, output.Count);
        Assert.False(translator.IsCompleted);
        translator.Translate("""{"id":"c1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"""u8, output);
        Assert.True(translator.IsCompleted);
        translator.Complete(output);
        Assert.Equal(4, output.Count);

        var responses = output.Select(o => JsonNode.Parse(o)!).ToList();
        Assert.Equal("""[{"text":"hmm","thought":true}]""", responses[0]["candidates"]![0]!["content"]!["parts"]!.ToJsonString());
        Assert.Equal("Hel", (string?)responses[1]["candidates"]![0]!["content"]!["parts"]![0]!["text"]);
        Assert.Null(responses[1]["candidates"]![0]!["finishReason"]);
        var last = responses[3];
        Assert.Equal("""[{"functionCall":{"id":"call_1","name":"weather","args":{"city":"Oslo"}}}]""", last["candidates"]![0]!["content"]!["parts"]!.ToJsonString());
        Assert.Equal("STOP", (string?)last["candidates"]![0]!["finishReason"]);
        Assert.Equal(15, (int)last["usageMetadata"]!["totalTokenCount"]!);
        Assert.Equal(0.000015m, (decimal)last["tollgate"]!["cost"]!);
        Assert.Equal("c1", (string?)last["responseId"]);
    }

    [Fact]
    public void Translate_ThinkingBlockAtItsEnd_IsAnEmptyThoughtPartWithTheSignature()
    {
        var translator = new GeminiInboundStreamTranslator("m", _ => null);
        var output = new List<byte[]>();
        translator.Translate("""{"choices":[{"index":0,"delta":{"reasoning_content":"Think."}}]}"""u8, output);
        translator.Translate("""{"choices":[{"index":0,"delta":{"thinking_blocks":[{"type":"thinking","thinking":"Think.","signature":"sig1"}]}}]}"""u8, output);
        Assert.Equal(2, output.Count);
        Assert.Equal("""[{"text":"","thought":true,"thoughtSignature":"sig1"}]""", JsonNode.Parse(output[1])!["candidates"]![0]!["content"]!["parts"]!.ToJsonString());
    }

    [Fact]
    public void Complete_WithoutAUsageChunk_StillSendsTheFinish()
    {
        var translator = new GeminiInboundStreamTranslator("m", _ => null);
        var output = new List<byte[]>();
        translator.Translate("""{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"length"}]}"""u8, output);
        translator.Complete(output);
        var last = JsonNode.Parse(output[^1])!;
        Assert.Equal("MAX_TOKENS", (string?)last["candidates"]![0]!["finishReason"]);
        Assert.Null(last["usageMetadata"]);
        Assert.Null(last["tollgate"]);
    }

    [Fact]
    public void Translate_ErrorChunk_IsGeminisErrorObject()
    {
        var translator = new GeminiInboundStreamTranslator("m", _ => null);
        var output = new List<byte[]>();
        translator.Translate("""{"error":{"message":"overloaded","type":"server_error"}}"""u8, output);
        Assert.True(translator.HasError);
        var error = JsonNode.Parse(output.Single())!["error"]!;
        Assert.Equal("overloaded", (string?)error["message"]);
        Assert.Equal("UNAVAILABLE", (string?)error["status"]);
        translator.Complete(output);
        Assert.Single(output);
    }
}
