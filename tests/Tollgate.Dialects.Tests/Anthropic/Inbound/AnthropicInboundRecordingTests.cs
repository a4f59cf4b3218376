using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic.Inbound;

namespace Tollgate.Dialects.Tests.Anthropic.Inbound;

/// <summary>Every OpenAI-dialect recording answered to an Anthropic client, checked against the recording itself.</summary>
public sealed class AnthropicInboundRecordingTests
{
    public static TheoryData<string> StreamRecordings() => [.. Recordings.OpenAIDialect(".chunks.txt").Select(Relative)];

    public static TheoryData<string> ResponseRecordings() => [.. Recordings.OpenAIDialect(".json").Select(Relative)];

    [Theory]
    [MemberData(nameof(StreamRecordings))]
    public void Stream_Recording_ValidEventSequenceWithSameTextToolsAndUsage(string recording)
    {
        var lines = File.ReadAllLines(Path.Combine(Recordings.Root, recording)).Where(static l => l.Length > 0).ToArray();
        var translator = new AnthropicInboundStreamTranslator("claude-alias", static u => u.OutputTokens * 0.000001m);
        var events = new List<AnthropicSseEvent>();
        foreach (var line in lines)
        {
            translator.Translate(Encoding.UTF8.GetBytes(line), events);
        }

        translator.Translate("[DONE]"u8, events);

        // What the recording says, read straight from its chunks.
        var chunks = lines.Select(static l => JsonNode.Parse(l)!).ToArray();
        var expectedText = new StringBuilder();
        var expectedReasoning = new StringBuilder();
        var expectedArguments = new SortedDictionary<int, StringBuilder>();
        var expectedNames = new SortedDictionary<int, string>();
        string? finish = null;
        JsonNode? usage = null;
        foreach (var chunk in chunks)
        {
            usage = chunk["usage"] ?? usage;
            if (chunk["choices"]?.AsArray() is not [var choice, ..])
            {
                continue;
            }

            finish = (string?)choice!["finish_reason"] ?? finish;
            expectedText.Append((string?)choice["delta"]?["content"]);
            expectedReasoning.Append((string?)choice["delta"]?["reasoning_content"]);
            foreach (var call in choice["delta"]?["tool_calls"]?.AsArray() ?? [])
            {
                var index = (int?)call!["index"] ?? 0;
                if ((string?)call["function"]?["name"] is { } name)
                {
                    expectedNames[index] = name;
                }

                if (!expectedArguments.TryGetValue(index, out var args))
                {
                    expectedArguments[index] = args = new StringBuilder();
                }

                args.Append((string?)call["function"]?["arguments"]);
            }
        }

        var message = Reassemble(events);
        Assert.Equal("claude-alias", (string?)message.Start["model"]);
        Assert.Equal(expectedText.ToString(), message.Text);
        Assert.Equal(expectedReasoning.ToString(), message.Thinking);
        Assert.Equal(expectedNames.Values, message.Tools.Select(static t => t.Name));
        for (var i = 0; i < message.Tools.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedArguments.Values.ElementAt(i).ToString()), JsonNode.Parse(message.Tools[i].Arguments.ToString())));
        }

        var expectedStop = finish switch { "tool_calls" => "tool_use", "length" => "max_tokens", _ => "end_turn" };
        Assert.Equal(expectedStop, (string?)message.Delta["delta"]!["stop_reason"]);

        Assert.NotNull(usage);
        var finalUsage = message.Delta["usage"]!;
        var prompt = (long)usage["prompt_tokens"]!;
        var cached = (long?)usage["prompt_tokens_details"]?["cached_tokens"] ?? 0;
        // Anthropic's input_tokens excludes cache reads; together they are OpenAI's prompt_tokens.
        Assert.Equal(prompt - cached, (long)finalUsage["input_tokens"]!);
        Assert.Equal(cached, (long)finalUsage["cache_read_input_tokens"]!);
        // Output is everything the total holds beyond the prompt (xAI leaves reasoning out of completion_tokens).
        var output = Math.Max((long)usage["completion_tokens"]!, (long)usage["total_tokens"]! - prompt);
        Assert.Equal(output, (long)finalUsage["output_tokens"]!);
        Assert.Equal(output * 0.000001m, (decimal)finalUsage["cost"]!);
        Assert.True(translator.IsCompleted);
    }

    [Theory]
    [MemberData(nameof(ResponseRecordings))]
    public void Response_Recording_SameContentToolsAndUsage(string recording)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Recordings.Root, recording));
        var source = JsonNode.Parse(bytes)!;
        if (source["error"] is JsonNode sourceError)
        {
            Assert.False(AnthropicInboundResponseTranslator.TryTranslate(bytes, null, null, out _));
            var error = AnthropicInboundResponseTranslator.TranslateError(bytes, 400);
            var body = JsonNode.Parse(error.Body)!;
            Assert.Equal(400, error.StatusCode);
            Assert.Equal("error", (string?)body["type"]);
            Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
            Assert.Equal((string?)sourceError["message"], (string?)body["error"]!["message"]);
            return;
        }

        Assert.True(AnthropicInboundResponseTranslator.TryTranslate(bytes, null, null, out var result));
        var message = JsonNode.Parse(result!.Body)!;
        var sourceMessage = source["choices"]![0]!["message"]!;
        var content = message["content"]!.AsArray();

        Assert.Equal("message", (string?)message["type"]);
        Assert.Equal((string?)source["model"], (string?)message["model"]);
        var text = content.Where(static b => (string?)b!["type"] == "text").Select(static b => (string?)b!["text"]).SingleOrDefault();
        Assert.Equal(string.IsNullOrEmpty((string?)sourceMessage["content"]) ? null : (string?)sourceMessage["content"], text);
        var thinking = content.Where(static b => (string?)b!["type"] == "thinking").Select(static b => (string?)b!["thinking"]).SingleOrDefault();
        Assert.Equal((string?)sourceMessage["reasoning_content"], thinking);

        var calls = sourceMessage["tool_calls"]?.AsArray() ?? [];
        var uses = content.Where(static b => (string?)b!["type"] == "tool_use").ToArray();
        Assert.Equal(calls.Count, uses.Length);
        for (var i = 0; i < uses.Length; i++)
        {
            Assert.Equal((string?)calls[i]!["id"], (string?)uses[i]!["id"]);
            Assert.Equal((string?)calls[i]!["function"]!["name"], (string?)uses[i]!["name"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse((string)calls[i]!["function"]!["arguments"]!), uses[i]!["input"]));
        }

        var finish = (string?)source["choices"]![0]!["finish_reason"];
        Assert.Equal(finish switch { "tool_calls" => "tool_use", "length" => "max_tokens", _ => "end_turn" }, (string?)message["stop_reason"]);
        var usage = source["usage"]!;
        var cached = (long?)usage["prompt_tokens_details"]?["cached_tokens"] ?? 0;
        Assert.Equal((long)usage["prompt_tokens"]! - cached, (long)message["usage"]!["input_tokens"]!);
        Assert.Equal(cached, (long)message["usage"]!["cache_read_input_tokens"]!);
        Assert.Equal((long)usage["prompt_tokens"]!, result.Usage.PromptTokens);
    }

    private static string Relative(string path) => Path.GetRelativePath(Recordings.Root, path);

    /// <summary>Checks the event grammar an Anthropic SDK relies on while rebuilding the message.</summary>
    private static Reassembled Reassemble(List<AnthropicSseEvent> events)
    {
        Assert.Equal("message_start", events[0].EventType);
        Assert.Equal("message_stop", events[^1].EventType);
        Assert.Equal("message_delta", events[^2].EventType);
        var result = new Reassembled { Start = JsonNode.Parse(events[0].Data)!["message"]!, Delta = JsonNode.Parse(events[^2].Data)! };
        var open = -1;
        var next = 0;
        string? openType = null;
        foreach (var e in events.Skip(1).SkipLast(2))
        {
            var data = JsonNode.Parse(e.Data)!;
            Assert.Equal(e.EventType, (string?)data["type"]);
            switch (e.EventType)
            {
                case "content_block_start":
                    Assert.Equal(-1, open);
                    Assert.Equal(next, (int)data["index"]!);
                    open = next++;
                    openType = (string?)data["content_block"]!["type"];
                    if (openType == "tool_use")
                    {
                        result.Tools.Add(new Tool((string)data["content_block"]!["id"]!, (string)data["content_block"]!["name"]!));
                    }

                    break;
                case "content_block_delta":
                    Assert.Equal(open, (int)data["index"]!);
                    var delta = data["delta"]!;
                    switch ((string?)delta["type"])
                    {
                        case "text_delta":
                            Assert.Equal("text", openType);
                            result.Text += (string?)delta["text"];
                            break;
                        case "thinking_delta":
                            Assert.Equal("thinking", openType);
                            result.Thinking += (string?)delta["thinking"];
                            break;
                        case "input_json_delta":
                            Assert.Equal("tool_use", openType);
                            result.Tools[^1].Arguments.Append((string?)delta["partial_json"]);
                            break;
                        default:
                            Assert.Fail("unexpected delta " + delta.ToJsonString());
                            break;
                    }

                    break;
                case "content_block_stop":
                    Assert.Equal(open, (int)data["index"]!);
                    open = -1;
                    break;
                default:
                    Assert.Fail("unexpected event " + e.EventType);
                    break;
            }
        }

        Assert.Equal(-1, open);
        return result;
    }

    private sealed class Reassembled
    {
        public required JsonNode Start { get; init; }

        public required JsonNode Delta { get; init; }

        public string Text { get; set; } = string.Empty;

        public string Thinking { get; set; } = string.Empty;

        public List<Tool> Tools { get; } = [];
    }

    private sealed record Tool(string Id, string Name)
    {
        public StringBuilder Arguments { get; } = new();
    }
}
