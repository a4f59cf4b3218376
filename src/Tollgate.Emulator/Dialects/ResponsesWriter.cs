using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Dialects;

/// <summary>
/// Writes a <see cref="ChatPlan"/> as OpenAI's Responses API does: one <c>response</c> object, or the event stream
/// (<c>response.created</c>, <c>response.in_progress</c>, <c>response.output_item.added</c>, the part and delta events,
/// <c>response.output_item.done</c>, <c>response.completed</c>) numbered by <c>sequence_number</c>. A plan with
/// thinking on starts with a <c>reasoning</c> item; a tool call is a <c>function_call</c> item.
/// </summary>
internal static class ResponsesWriter
{
    private const string ReasoningSummary = "**Planning the answer**\n\nThe emulator considered the request.";

    /// <summary>The response's id for <paramref name="plan"/>.</summary>
    public static string ResponseId(ChatPlan plan) => "resp_" + Suffix(plan);

    public static ReadOnlyMemory<byte> Response(ChatPlan plan, JsonObject echo) =>
        Encoding.UTF8.GetBytes(ResponseJson(plan, echo, completed: true).ToJsonString());

    public static async Task StreamAsync(ChatPlan plan, JsonObject echo, Stream output, TimeProvider time, CancellationToken ct)
    {
        var sequence = 0;
        async Task Send(string type, JsonObject data)
        {
            var json = new JsonObject { ["type"] = type, ["sequence_number"] = sequence++ };
            foreach (var (name, value) in data.ToArray())
            {
                data.Remove(name);
                json[name] = value;
            }

            await output.WriteAsync(Encoding.UTF8.GetBytes($"event: {type}\ndata: {json.ToJsonString()}\n\n"), ct);
            await output.FlushAsync(ct);
        }

        if (plan.Ttft > TimeSpan.Zero)
        {
            await Task.Delay(plan.Ttft, time, ct);
        }

        var started = ResponseJson(plan, echo, completed: false);
        await Send("response.created", new JsonObject { ["response"] = started });
        await Send("response.in_progress", new JsonObject { ["response"] = started.DeepClone() });
        var index = 0;
        if (plan.Thinking)
        {
            var reasoning = ReasoningItem(plan);
            var id = reasoning["id"]!.GetValue<string>();
            await Send("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = new JsonObject { ["id"] = id, ["type"] = "reasoning", ["summary"] = new JsonArray() } });
            await Send("response.reasoning_summary_part.added", new JsonObject { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["part"] = new JsonObject { ["type"] = "summary_text", ["text"] = "" } });
            await Send("response.reasoning_summary_text.delta", new JsonObject { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["delta"] = ReasoningSummary });
            await Send("response.reasoning_summary_text.done", new JsonObject { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["text"] = ReasoningSummary });
            await Send("response.reasoning_summary_part.done", new JsonObject { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["part"] = new JsonObject { ["type"] = "summary_text", ["text"] = ReasoningSummary } });
            await Send("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = reasoning });
            index++;
        }

        var item = plan.ToolCall is not null ? FunctionCallItem(plan) : MessageItem(plan);
        var itemId = item["id"]!.GetValue<string>();
        var opened = item.DeepClone().AsObject();
        opened["status"] = "in_progress";
        if (plan.ToolCall is not null)
        {
            opened["arguments"] = "";
        }
        else
        {
            opened["content"] = new JsonArray();
        }

        await Send("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = opened });
        if (plan.ToolCall is null)
        {
            await Send("response.content_part.added", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["part"] = TextPart("") });
        }

        var stopAfter = plan.Cut ? plan.Pieces.Count / 2 : plan.Pieces.Count;
        for (var i = 0; i < stopAfter; i++)
        {
            if (i > 0 && plan.ChunkInterval > TimeSpan.Zero)
            {
                await Task.Delay(plan.ChunkInterval, time, ct);
            }

            await Send(
                plan.ToolCall is null ? "response.output_text.delta" : "response.function_call_arguments.delta",
                plan.ToolCall is null
                    ? new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["delta"] = plan.Pieces[i], ["logprobs"] = new JsonArray() }
                    : new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["delta"] = plan.Pieces[i] });
            await plan.StallAfterAsync(i, time, ct);
        }

        if (plan.Cut)
        {
            throw new EmulatorCutException();
        }

        if (plan.ToolCall is { } call)
        {
            await Send("response.function_call_arguments.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["name"] = call.Name, ["arguments"] = call.Arguments });
        }
        else
        {
            await Send("response.output_text.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["text"] = plan.Content ?? "", ["logprobs"] = new JsonArray() });
            await Send("response.content_part.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["content_index"] = 0, ["part"] = TextPart(plan.Content ?? "") });
        }

        await Send("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item });
        var done = ResponseJson(plan, echo, completed: true);
        await Send(done["status"]!.GetValue<string>() == "completed" ? "response.completed" : "response.incomplete", new JsonObject { ["response"] = done });
    }

    private static JsonObject ResponseJson(ChatPlan plan, JsonObject echo, bool completed)
    {
        var incomplete = completed && plan.FinishReason == "length";
        var json = new JsonObject
        {
            ["id"] = ResponseId(plan),
            ["object"] = "response",
            ["created_at"] = plan.Created,
            ["status"] = !completed ? "in_progress" : incomplete ? "incomplete" : "completed",
            ["background"] = false,
            ["error"] = null,
            ["incomplete_details"] = incomplete ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["model"] = plan.Model,
            ["output"] = completed ? Output(plan) : new JsonArray(),
        };
        foreach (var (name, value) in echo)
        {
            json[name] = value?.DeepClone();
        }

        json["usage"] = completed && plan.Usage is { } usage ? new JsonObject
        {
            ["input_tokens"] = usage.PromptTokens,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CachedTokens },
            ["output_tokens"] = usage.CompletionTokens,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens },
            ["total_tokens"] = usage.TotalTokens,
        } : null;
        return json;
    }

    private static JsonArray Output(ChatPlan plan)
    {
        var output = new JsonArray();
        if (plan.Thinking)
        {
            output.Add((JsonNode)ReasoningItem(plan));
        }

        output.Add((JsonNode)(plan.ToolCall is not null ? FunctionCallItem(plan) : MessageItem(plan)));
        return output;
    }

    private static JsonObject ReasoningItem(ChatPlan plan) => new()
    {
        ["id"] = "rs_" + Suffix(plan),
        ["type"] = "reasoning",
        ["summary"] = new JsonArray(new JsonObject { ["type"] = "summary_text", ["text"] = ReasoningSummary }),
    };

    private static JsonObject MessageItem(ChatPlan plan) => new()
    {
        ["id"] = "msg_" + Suffix(plan),
        ["type"] = "message",
        ["status"] = "completed",
        ["role"] = "assistant",
        ["content"] = new JsonArray(TextPart(plan.Content ?? "")),
    };

    private static JsonObject FunctionCallItem(ChatPlan plan) => new()
    {
        ["id"] = "fc_" + Suffix(plan),
        ["type"] = "function_call",
        ["status"] = "completed",
        ["arguments"] = plan.ToolCall!.Arguments,
        ["call_id"] = plan.ToolCall.Id,
        ["name"] = plan.ToolCall.Name,
    };

    private static JsonObject TextPart(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray() };

    // The chat plan's random id, reused so a response's items share it.
    private static string Suffix(ChatPlan plan) => plan.Id.StartsWith("chatcmpl-", StringComparison.Ordinal) ? plan.Id["chatcmpl-".Length..] : plan.Id;

    /// <summary>What a response repeats of its request.</summary>
    public static JsonObject Echo(JsonElement root)
    {
        JsonNode? Get(string name) => root.TryGetProperty(name, out var v) ? JsonNode.Parse(v.GetRawText()) : null;
        return new JsonObject
        {
            ["instructions"] = Get("instructions"),
            ["max_output_tokens"] = Get("max_output_tokens"),
            ["parallel_tool_calls"] = Get("parallel_tool_calls") ?? true,
            ["previous_response_id"] = Get("previous_response_id"),
            ["reasoning"] = Get("reasoning") ?? new JsonObject { ["effort"] = null, ["summary"] = null },
            ["store"] = Get("store") ?? true,
            ["temperature"] = Get("temperature") ?? 1.0,
            ["text"] = Get("text") ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = Get("tool_choice") ?? "auto",
            ["tools"] = Get("tools") ?? new JsonArray(),
            ["top_p"] = Get("top_p") ?? 1.0,
            ["truncation"] = Get("truncation") ?? "disabled",
            ["metadata"] = Get("metadata") ?? new JsonObject(),
        };
    }
}
