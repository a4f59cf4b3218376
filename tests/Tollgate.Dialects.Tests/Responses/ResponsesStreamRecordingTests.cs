using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Responses;
using Tollgate.Dialects.Tests.Anthropic;

namespace Tollgate.Dialects.Tests.Responses;

/// <summary>Every OpenAI-dialect recording answered to a Responses API client, checked against the recording itself.</summary>
public sealed class ResponsesStreamRecordingTests
{
    public static TheoryData<string> StreamRecordings() => [.. Recordings.OpenAIDialect(".chunks.txt").Select(Relative)];

    public static TheoryData<string> ResponseRecordings() => [.. Recordings.OpenAIDialect(".json").Select(Relative)];

    [Theory]
    [MemberData(nameof(StreamRecordings))]
    public void Stream_Recording_OrderedEventsWithSameTextToolsAndUsage(string recording)
    {
        var lines = File.ReadAllLines(Path.Combine(Recordings.Root, recording)).Where(static l => l.Length > 0 && l != "[DONE]").ToArray();
        var translator = new ResponsesStreamTranslator(new ResponseObject("resp_test", 1, "alias", []), static u => u.OutputTokens * 0.000001m);
        var events = new List<ResponsesSseEvent>();
        foreach (var line in lines)
        {
            translator.Translate(Encoding.UTF8.GetBytes(line), events);
        }

        translator.Complete(completed: true, events);

        var expectedText = new StringBuilder();
        var expectedArguments = new SortedDictionary<int, StringBuilder>();
        JsonNode? usage = null;
        string? finish = null;
        var failed = false;
        foreach (var chunk in lines.Select(static l => JsonNode.Parse(l)!))
        {
            failed |= chunk["error"] is not null;
            usage = chunk["usage"] ?? usage;
            if (chunk["choices"]?.AsArray() is not [var choice, ..])
            {
                continue;
            }

            finish = (string?)choice!["finish_reason"] ?? finish;
            expectedText.Append((string?)choice["delta"]?["content"]);
            foreach (var call in choice["delta"]?["tool_calls"]?.AsArray() ?? [])
            {
                var index = (int?)call!["index"] ?? 0;
                if (!expectedArguments.TryGetValue(index, out var args))
                {
                    expectedArguments[index] = args = new StringBuilder();
                }

                args.Append((string?)call["function"]?["arguments"]);
            }
        }

        var parsed = events.Select(static e => (e.Type, Data: JsonNode.Parse(e.Data)!)).ToArray();
        // Numbered from 0 without a gap, each event's data naming its own type.
        for (var i = 0; i < parsed.Length; i++)
        {
            Assert.Equal(i, (int)parsed[i].Data["sequence_number"]!);
            Assert.Equal(parsed[i].Type, (string?)parsed[i].Data["type"]);
        }

        Assert.Equal(["response.created", "response.in_progress"], parsed.Take(2).Select(static e => e.Type));
        var last = parsed[^1];
        Assert.Equal(failed ? "response.failed" : finish == "length" ? "response.incomplete" : "response.completed", last.Type);
        Assert.Single(parsed, static e => e.Type.StartsWith("response.completed", StringComparison.Ordinal) || e.Type is "response.failed" or "response.incomplete");

        // Every item opened is closed, at its output index, before the next one opens.
        var open = -1;
        foreach (var (type, data) in parsed)
        {
            if (type == "response.output_item.added")
            {
                Assert.Equal(-1, open);
                open = (int)data["output_index"]!;
            }
            else if (type == "response.output_item.done")
            {
                Assert.Equal(open, (int)data["output_index"]!);
                open = -1;
            }
            else if (type.Contains(".delta", StringComparison.Ordinal))
            {
                Assert.Equal(open, (int)data["output_index"]!);
            }
        }

        Assert.Equal(-1, open);
        var text = string.Concat(parsed.Where(static e => e.Type == "response.output_text.delta").Select(static e => (string?)e.Data["delta"]));
        Assert.Equal(expectedText.ToString(), text);
        var response = last.Data["response"]!;
        var calls = response["output"]!.AsArray().Where(static i => (string?)i!["type"] == "function_call").ToArray();
        Assert.Equal(expectedArguments.Count, calls.Length);
        for (var i = 0; i < calls.Length; i++)
        {
            Assert.Equal(expectedArguments.Values.ElementAt(i).ToString(), (string?)calls[i]!["arguments"]);
        }

        if (failed)
        {
            Assert.Equal("failed", (string?)response["status"]);
            return;
        }

        var messageText = string.Concat(response["output"]!.AsArray().Where(static i => (string?)i!["type"] == "message")
            .SelectMany(static i => i!["content"]!.AsArray()).Select(static p => (string?)p!["text"]));
        Assert.Equal(expectedText.ToString(), messageText);
        Assert.NotNull(usage);
        var prompt = (long)usage["prompt_tokens"]!;
        var output = Math.Max((long)usage["completion_tokens"]!, (long)usage["total_tokens"]! - prompt);
        Assert.Equal(prompt, (long)response["usage"]!["input_tokens"]!);
        Assert.Equal((long?)usage["prompt_tokens_details"]?["cached_tokens"] ?? 0, (long)response["usage"]!["input_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(output, (long)response["usage"]!["output_tokens"]!);
        Assert.Equal(prompt + output, (long)response["usage"]!["total_tokens"]!);
        Assert.Equal(output * 0.000001m, (decimal)response["usage"]!["cost"]!);
    }

    [Theory]
    [MemberData(nameof(ResponseRecordings))]
    public void Response_Recording_SameItemsAndUsage(string recording)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Recordings.Root, recording));
        var source = JsonNode.Parse(bytes)!;
        var response = ResponsesResponseTranslator.Translate(bytes, new ResponseObject("resp_test", 1, "alias", []), static u => u.PromptTokens * 0.000002m);
        if (source["error"] is not null)
        {
            Assert.Null(response);
            return;
        }

        Assert.NotNull(response);
        var message = source["choices"]![0]!["message"]!;
        var output = response["output"]!.AsArray();
        var text = output.Where(static i => (string?)i!["type"] == "message").SelectMany(static i => i!["content"]!.AsArray()).Select(static p => (string?)p!["text"]).SingleOrDefault();
        Assert.Equal(string.IsNullOrEmpty((string?)message["content"]) ? null : (string?)message["content"], text);
        var reasoning = output.Where(static i => (string?)i!["type"] == "reasoning").Select(static i => (string?)i!["summary"]![0]!["text"]).SingleOrDefault();
        Assert.Equal(string.IsNullOrEmpty((string?)message["reasoning_content"]) ? null : (string?)message["reasoning_content"], reasoning);
        var calls = message["tool_calls"]?.AsArray() ?? [];
        var items = output.Where(static i => (string?)i!["type"] == "function_call").ToArray();
        Assert.Equal(calls.Count, items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            Assert.Equal((string?)calls[i]!["id"], (string?)items[i]!["call_id"]);
            Assert.Equal((string?)calls[i]!["function"]!["name"], (string?)items[i]!["name"]);
            Assert.Equal((string?)calls[i]!["function"]!["arguments"], (string?)items[i]!["arguments"]);
        }

        var finish = (string?)source["choices"]![0]!["finish_reason"];
        Assert.Equal(finish == "length" ? "incomplete" : "completed", (string?)response["status"]);
        Assert.Equal("alias", (string?)response["model"]);
        var prompt = (long)source["usage"]!["prompt_tokens"]!;
        Assert.Equal(prompt, (long)response["usage"]!["input_tokens"]!);
        Assert.Equal(prompt * 0.000002m, (decimal)response["usage"]!["cost"]!);
    }

    private static string Relative(string path) => Path.GetRelativePath(Recordings.Root, path);
}
