using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Responses;

namespace Tollgate.Dialects.Tests.Responses;

public sealed class ResponsesStreamTranslatorTests
{
    [Fact]
    public void Translate_ReasoningTextAndToolCall_ItemsInOrderWithTheirEvents()
    {
        var events = Run(
            """{"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Let me think."}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"Hel"}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"lo"}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"f","arguments":""}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":1}"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}""");

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(static e => e.Type));
        var completed = events[^1].Data["response"]!;
        Assert.Equal("completed", (string?)completed["status"]);
        Assert.Equal(["reasoning", "message", "function_call"], completed["output"]!.AsArray().Select(static i => (string)i!["type"]!));
        Assert.Equal("Hello", (string?)completed["output"]![1]!["content"]![0]!["text"]);
        Assert.Equal("call_9", (string?)completed["output"]![2]!["call_id"]);
        Assert.Equal("""{"a":1}""", (string?)completed["output"]![2]!["arguments"]);
        Assert.Equal("""{"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":15,"cost":0.5}""", completed["usage"]!.ToJsonString());
        Assert.Equal(1, (int)events[10].Data["output_index"]!);
        Assert.Equal("Hel", (string?)events[10].Data["delta"]);
    }

    [Fact]
    public void Complete_BrokenOff_ResponseFailedClosingTheOpenItem()
    {
        var translator = new ResponsesStreamTranslator(new ResponseObject("resp_1", 1, "m", []), null);
        var events = new List<ResponsesSseEvent>();
        translator.Translate("""{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"""u8, events);
        translator.Complete(completed: false, events);

        Assert.Equal("response.output_item.done", events[^2].Type);
        Assert.Equal("response.failed", events[^1].Type);
        Assert.Equal("server_error", (string?)JsonNode.Parse(events[^1].Data)!["response"]!["error"]!["code"]);
        Assert.True(translator.IsCompleted);
    }

    [Fact]
    public void Translate_LengthFinish_ResponseIncomplete()
    {
        var events = Run("""{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"length"}]}""");

        Assert.Equal("response.incomplete", events[^1].Type);
        Assert.Equal("max_output_tokens", (string?)events[^1].Data["response"]!["incomplete_details"]!["reason"]);
    }

    private static List<(string Type, JsonNode Data)> Run(params string[] chunks)
    {
        var translator = new ResponsesStreamTranslator(new ResponseObject("resp_1", 1, "m", []), static u => u.OutputTokens * 0.1m);
        var events = new List<ResponsesSseEvent>();
        foreach (var chunk in chunks)
        {
            translator.Translate(Encoding.UTF8.GetBytes(chunk), events);
        }

        translator.Complete(completed: true, events);
        return events.Select(static e => (e.Type, JsonNode.Parse(e.Data)!)).ToList();
    }
}
