using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic;

namespace Tollgate.Dialects.Tests.Anthropic;

public sealed class AnthropicRoundTripTests
{
    [Fact]
    public void RoundTrip_ThinkingWithToolCall_NextRequestCarriesSignatureIdsAndArguments()
    {
        var options = new AnthropicTranslateOptions { Model = "claude-sonnet-4-5" };
        var upstreamResponse = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"Use the tool.","signature":"c2lnbmF0dXJl+/=="},
                        {"type":"text","text":"Checking."},
                        {"type":"tool_use","id":"toolu_X1","name":"weather","input":{"city":"Oslo","days":[1,2]}}],
             "stop_reason":"tool_use","usage":{"input_tokens":20,"output_tokens":30}}
            """u8;

        Assert.True(AnthropicResponseTranslator.TryTranslate(upstreamResponse, new AnthropicResponseOptions { Created = 1 }, out var response));
        var assistant = JsonNode.Parse(response!.Body)!["choices"]![0]!["message"]!.DeepClone().AsObject();

        // The client appends the assistant message exactly as received, then its tool result.
        var next = new JsonObject
        {
            ["model"] = "claude",
            ["reasoning_effort"] = "low",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Weather in Oslo?" },
                assistant,
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = (string?)assistant["tool_calls"]![0]!["id"], ["content"] = "cold" }),
        };
        var translated = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(next.ToJsonString()), options);

        Assert.True(translated.IsSuccess, translated.Error?.ToString());
        var messages = JsonNode.Parse(translated.Body!)!["messages"]!;
        var expectedAssistant = JsonNode.Parse("""
            [{"type":"thinking","thinking":"Use the tool.","signature":"c2lnbmF0dXJl+/=="},
             {"type":"text","text":"Checking."},
             {"type":"tool_use","id":"toolu_X1","name":"weather","input":{"city":"Oslo","days":[1,2]}}]
            """);
        Assert.True(JsonNode.DeepEquals(expectedAssistant, messages[1]!["content"]), messages[1]!.ToJsonString());
        Assert.Equal("toolu_X1", (string?)messages[2]!["content"]![0]!["tool_use_id"]);
    }

    [Fact]
    public void RoundTrip_StreamedThinkingBlocks_SentBackUnchanged()
    {
        var output = new List<byte[]>();
        var translator = new AnthropicStreamTranslator(new AnthropicResponseOptions { Created = 1 });
        foreach (var line in Recordings.Lines("anthropic-clear-thinking.1.chunks.txt"))
        {
            translator.Translate(null, Encoding.UTF8.GetBytes(line), output);
        }

        var blocks = new JsonArray();
        var content = new StringBuilder();
        foreach (var chunk in output.Select(static b => JsonNode.Parse(b)!))
        {
            var delta = chunk["choices"]![0]!["delta"]!;
            content.Append((string?)delta["content"]);
            foreach (var block in delta["thinking_blocks"]?.AsArray() ?? [])
            {
                blocks.Add(block!.DeepClone());
            }
        }

        var next = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Divide by 5" },
                new JsonObject { ["role"] = "assistant", ["content"] = content.ToString(), ["thinking_blocks"] = blocks },
                new JsonObject { ["role"] = "user", ["content"] = "Now by 37" }),
        };
        var translated = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(next.ToJsonString()), new AnthropicTranslateOptions { Model = "m" });

        var thinking = JsonNode.Parse(translated.Body!)!["messages"]![1]!["content"]![0]!;
        var signature = string.Concat(Recordings.Lines("anthropic-clear-thinking.1.chunks.txt")
            .Select(static l => JsonNode.Parse(l)!)
            .Where(static n => (string?)n["delta"]?["type"] == "signature_delta")
            .Select(static n => (string?)n["delta"]!["signature"]));
        Assert.Equal("thinking", (string?)thinking["type"]);
        Assert.Equal(signature, (string?)thinking["signature"]);
        Assert.Equal("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185", (string?)thinking["thinking"]);
    }
}
