using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic;

namespace Tollgate.Dialects.Tests.Anthropic;

public sealed class AnthropicStreamTranslatorTests
{
    private static readonly AnthropicResponseOptions Options = new() { Created = 1_790_000_000, IncludeUsage = true };

    [Fact]
    public void Translate_TextRecording_ReassemblesTextFinishAndUsage()
    {
        var (translator, stream) = Replay("anthropic-text.chunks.txt", Options with { Cost = static _ => 0.00049m });

        Assert.Equal("assistant", stream.Role);
        Assert.Equal(ConcatDeltas("anthropic-text.chunks.txt", "text"), stream.Content);
        Assert.Equal("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?", stream.Content);
        Assert.Equal("stop", stream.FinishReason);
        Assert.Equal("msg_01QC4g3HwBThD4BaNtBckFDJ", stream.Id);
        Assert.Equal("claude-sonnet-4-5-20250929", stream.Model);
        Assert.Empty(stream.ToolCalls);
        Assert.True(translator.IsCompleted);
        Assert.Equal(12, translator.Usage.InputTokens);
        Assert.Equal(30, translator.Usage.OutputTokens);
        // 12 + 30
        Assert.Equal(42, (long)stream.Usage!["total_tokens"]!);
        Assert.Equal(0.00049m, (decimal)stream.Usage!["cost"]!);
        Assert.Equal(0.00049m, translator.Cost);
    }

    [Fact]
    public void Translate_ThinkingRecording_ReasoningAndSignatureKept()
    {
        var (translator, stream) = Replay("anthropic-clear-thinking.1.chunks.txt", Options);
        var signature = ConcatDeltas("anthropic-clear-thinking.1.chunks.txt", "signature");

        Assert.Equal("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185", stream.Reasoning);
        Assert.Equal(ConcatDeltas("anthropic-clear-thinking.1.chunks.txt", "thinking"), stream.Reasoning);
        Assert.Equal("925 ÷ 5 = 185", stream.Content);
        var block = Assert.Single(stream.ThinkingBlocks);
        Assert.Equal("thinking", (string?)block["type"]);
        Assert.Equal(stream.Reasoning, (string?)block["thinking"]);
        Assert.StartsWith("EvQBCkYICxgCKkAxhD4N", signature, StringComparison.Ordinal);
        Assert.Equal(signature, (string?)block["signature"]);
        Assert.Equal("stop", stream.FinishReason);
        Assert.Equal(69, translator.Usage.InputTokens);
        Assert.Equal(53, translator.Usage.OutputTokens);
    }

    [Fact]
    public void Translate_ToolRecording_ToolCallDeltasReassembleToValidArguments()
    {
        var (translator, stream) = Replay("anthropic-json-tool.1.chunks.txt", Options);

        var call = Assert.Single(stream.ToolCalls);
        Assert.Equal("toolu_01KFbKqPYSuAKujiL6mTfzYA", call.Id);
        Assert.Equal("function", call.Type);
        Assert.Equal("json", call.Name);
        var expected = JsonNode.Parse(ConcatDeltas("anthropic-json-tool.1.chunks.txt", "partial_json"));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(call.Arguments.ToString())), call.Arguments.ToString());
        Assert.Equal("San Francisco", (string?)JsonNode.Parse(call.Arguments.ToString())!["elements"]![0]!["location"]);
        Assert.Equal("tool_calls", stream.FinishReason);
        Assert.Equal(849, translator.Usage.InputTokens);
        Assert.Equal(47, translator.Usage.OutputTokens);
        // 849 + 47
        Assert.Equal(896, (long)stream.Usage!["total_tokens"]!);
    }

    [Fact]
    public void Translate_ToolRecordingAsJsonResponseTool_StreamsArgumentsAsContent()
    {
        var (_, stream) = Replay("anthropic-json-tool.1.chunks.txt", Options with { JsonToolName = "json" });

        Assert.Empty(stream.ToolCalls);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ConcatDeltas("anthropic-json-tool.1.chunks.txt", "partial_json")), JsonNode.Parse(stream.Content)));
        Assert.Equal("stop", stream.FinishReason);
    }

    [Fact]
    public void Translate_CodeExecutionRecording_ServerToolsHiddenAndCacheUsageFromFinalDelta()
    {
        var (translator, stream) = Replay("anthropic-code-execution-20260120-prompt-cache.1.chunks.txt", Options);

        Assert.Empty(stream.ToolCalls);
        Assert.Equal("The sum of the squares of the numbers 1 through 12 is **650**.", stream.Content);
        Assert.Equal("stop", stream.FinishReason);
        var usage = translator.Usage;
        Assert.Equal(6, usage.InputTokens);
        // message_delta's total of 3337 replaces message_start's 3068; its split said no 1h writes.
        Assert.Equal(3337, usage.CacheWrite5mTokens);
        Assert.Equal(0, usage.CacheWrite1hTokens);
        Assert.Equal(6289, usage.CacheReadTokens);
        Assert.Equal(198, usage.OutputTokens);
        // 6 + 3337 + 6289
        Assert.Equal(9632, (long)stream.Usage!["prompt_tokens"]!);
        Assert.Equal(6289, (long)stream.Usage!["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(3337, (long)stream.Usage!["cache_creation_input_tokens"]!);
    }

    [Fact]
    public void Translate_RefusalRecording_ContentFilterAndRefusalText()
    {
        var (translator, stream) = Replay("anthropic-refusal.chunks.txt", Options);

        Assert.Equal("content_filter", stream.FinishReason);
        Assert.StartsWith("This request triggered restrictions", stream.Refusal, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stream.Content);
        Assert.Equal(18, translator.Usage.InputTokens);
        Assert.Equal(5, translator.Usage.OutputTokens);
    }

    [Fact]
    public void Translate_WithoutIncludeUsage_NoUsageChunkButUsageKnown()
    {
        var (translator, stream) = Replay("anthropic-text.chunks.txt", Options with { IncludeUsage = false, Cost = static u => u.OutputTokens * 0.000015m });

        Assert.Null(stream.Usage);
        Assert.Equal(30, translator.Usage.OutputTokens);
        // 30 output tokens * $15 per 1M
        Assert.Equal(0.00045m, translator.Cost);
    }

    [Fact]
    public void Translate_PingAndStop_ProduceNothingForPing()
    {
        var translator = new AnthropicStreamTranslator(Options);
        var output = new List<byte[]>();

        translator.Translate("ping", """{"type":"ping"}"""u8, output);

        Assert.Empty(output);
    }

    [Fact]
    public void Translate_ErrorEvent_OpenAIErrorPayload()
    {
        var translator = new AnthropicStreamTranslator(Options);
        var output = new List<byte[]>();

        translator.Translate(null, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8, output);

        var error = JsonNode.Parse(Assert.Single(output))!["error"]!;
        Assert.Equal("Overloaded", (string?)error["message"]);
        Assert.Equal("overloaded_error", (string?)error["code"]);
        Assert.True(translator.HasError);
        Assert.False(translator.IsCompleted);
    }

    [Fact]
    public void Translate_ParallelToolCalls_DistinctIndexesAfterText()
    {
        var events = new[]
        {
            """{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":10,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking both."}}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_a","name":"weather","input":{}}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_b","name":"weather","input":{}}}""",
            """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Rome\"}"}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":40}}""",
            """{"type":"message_stop"}""",
        };

        var (translator, stream) = Replay(events, Options);

        Assert.Equal("Checking both.", stream.Content);
        Assert.Equal(2, stream.ToolCalls.Count);
        Assert.Equal("toolu_a", stream.ToolCalls[0].Id);
        Assert.Equal("""{"city":"Paris"}""", stream.ToolCalls[0].Arguments.ToString());
        Assert.Equal("toolu_b", stream.ToolCalls[1].Id);
        Assert.Equal("""{"city":"Rome"}""", stream.ToolCalls[1].Arguments.ToString());
        Assert.Equal("tool_calls", stream.FinishReason);
        // input from message_start survives a message_delta that only reports output
        Assert.Equal(10, translator.Usage.InputTokens);
        Assert.Equal(40, translator.Usage.OutputTokens);
    }

    /// <summary>Concatenates a delta field straight from the recording, independently of the translator.</summary>
    private static string ConcatDeltas(string recording, string field)
    {
        var text = new StringBuilder();
        foreach (var line in Recordings.Lines(recording))
        {
            var node = JsonNode.Parse(line)!;
            if ((string?)node["type"] == "content_block_delta" && node["delta"]![field] is JsonNode value)
            {
                text.Append((string?)value);
            }
        }

        return text.ToString();
    }

    private static (AnthropicStreamTranslator Translator, Reassembled Stream) Replay(string recording, AnthropicResponseOptions options) =>
        Replay(Recordings.Lines(recording), options);

    private static (AnthropicStreamTranslator Translator, Reassembled Stream) Replay(IEnumerable<string> events, AnthropicResponseOptions options)
    {
        var translator = new AnthropicStreamTranslator(options);
        var output = new List<byte[]>();
        foreach (var line in events)
        {
            var type = (string?)JsonNode.Parse(line)!["type"];
            translator.Translate(type, Encoding.UTF8.GetBytes(line), output);
        }

        return (translator, Reassembled.From(output));
    }

    /// <summary>What an OpenAI client accumulates from the chunks.</summary>
    private sealed class Reassembled
    {
        public string? Id { get; private set; }

        public string? Model { get; private set; }

        public string? Role { get; private set; }

        public string Content { get; private set; } = string.Empty;

        public string Reasoning { get; private set; } = string.Empty;

        public string? Refusal { get; private set; }

        public string? FinishReason { get; private set; }

        public JsonNode? Usage { get; private set; }

        public List<JsonNode> ThinkingBlocks { get; } = [];

        public List<ToolCall> ToolCalls { get; } = [];

        public static Reassembled From(List<byte[]> chunks)
        {
            var result = new Reassembled();
            foreach (var bytes in chunks)
            {
                var chunk = JsonNode.Parse(bytes)!;
                Assert.Equal("chat.completion.chunk", (string?)chunk["object"]);
                Assert.Equal(1_790_000_000, (long)chunk["created"]!);
                result.Id ??= (string?)chunk["id"];
                result.Model ??= (string?)chunk["model"];
                if (chunk["usage"] is JsonNode usage)
                {
                    Assert.Empty(chunk["choices"]!.AsArray());
                    result.Usage = usage;
                    continue;
                }

                var choice = chunk["choices"]![0]!;
                var delta = choice["delta"]!;
                result.Role ??= (string?)delta["role"];
                result.Content += (string?)delta["content"];
                result.Reasoning += (string?)delta["reasoning_content"];
                result.Refusal ??= (string?)delta["refusal"];
                if ((string?)choice["finish_reason"] is { } finish)
                {
                    result.FinishReason = finish;
                }

                foreach (var block in delta["thinking_blocks"]?.AsArray() ?? [])
                {
                    result.ThinkingBlocks.Add(block!.DeepClone());
                }

                foreach (var call in delta["tool_calls"]?.AsArray() ?? [])
                {
                    var index = (int)call!["index"]!;
                    if (index == result.ToolCalls.Count)
                    {
                        result.ToolCalls.Add(new ToolCall((string)call["id"]!, (string)call["type"]!, (string)call["function"]!["name"]!));
                    }

                    result.ToolCalls[index].Arguments.Append((string?)call["function"]!["arguments"]);
                }
            }

            return result;
        }
    }

    private sealed record ToolCall(string Id, string Type, string Name)
    {
        public StringBuilder Arguments { get; } = new();
    }
}
