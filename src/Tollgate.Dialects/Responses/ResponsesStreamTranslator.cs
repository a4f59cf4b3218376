using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic.Inbound;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Responses;

/// <summary>
/// Turns an OpenAI <c>chat.completion.chunk</c> stream into the Responses API's event sequence, numbered from 0 by
/// <c>sequence_number</c>: <c>response.created</c>, <c>response.in_progress</c>, then per output item
/// <c>response.output_item.added</c>, its parts and deltas (<c>response.content_part.added</c>,
/// <c>response.output_text.delta</c>/<c>.done</c>, <c>response.content_part.done</c>;
/// <c>response.reasoning_summary_part.added</c>, <c>response.reasoning_summary_text.delta</c>/<c>.done</c>;
/// <c>response.function_call_arguments.delta</c>/<c>.done</c>) and <c>response.output_item.done</c>, and at the end
/// <c>response.completed</c> (or <c>response.incomplete</c>, <c>response.failed</c>) with the whole response and its
/// usage. One instance per stream; not thread-safe.
/// </summary>
public sealed class ResponsesStreamTranslator(ResponseObject response, Func<TokenUsage, decimal?>? cost)
{
    private readonly StringBuilder _text = new();
    private readonly Dictionary<int, int> _toolItems = [];
    private int _sequence;
    private bool _started;
    private ItemKind _open;
    private JsonObject? _item;
    private string? _finishReason;

    /// <summary>The response being streamed.</summary>
    public ResponseObject Response { get; } = response;

    /// <summary>True once the final event (<c>response.completed</c>, <c>.incomplete</c> or <c>.failed</c>) is written.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Translates one chunk payload, adding the events to send.</summary>
    public void Translate(ReadOnlySpan<byte> chunk, ICollection<ResponsesSseEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsCompleted)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(chunk.ToArray());
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            Start(output);
            if (root.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.String ? error.GetString() : Get(error, "message");
                Fail(message ?? "The upstream provider failed mid-stream.", output);
                return;
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                Response.Usage = OpenAIUsageReader.Read(usage);
            }

            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                return;
            }

            var choice = choices[0];
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                if ((Get(delta, "reasoning_content") ?? Get(delta, "reasoning")) is { Length: > 0 } reasoning)
                {
                    Open(ItemKind.Reasoning, output);
                    AppendText(reasoning, "response.reasoning_summary_text.delta", output);
                }

                if (Get(delta, "content") is { Length: > 0 } text)
                {
                    Open(ItemKind.Text, output);
                    AppendText(text, "response.output_text.delta", output);
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        OnToolCall(call, output);
                    }
                }
            }

            if (Get(choice, "finish_reason") is { } finish)
            {
                _finishReason = finish;
                Close(output);
            }
        }
    }

    /// <summary>Ends the stream: closes the open item and sends <c>response.completed</c> (or <c>.incomplete</c>), or
    /// with <paramref name="completed"/> false, <c>response.failed</c> for a stream that broke off.</summary>
    public void Complete(bool completed, ICollection<ResponsesSseEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsCompleted)
        {
            return;
        }

        Start(output);
        if (!completed)
        {
            Fail("The upstream provider's stream broke off.", output);
            return;
        }

        Close(output);
        Response.Finish(_finishReason);
        if (Response.Usage is { } usage)
        {
            Response.Cost = cost?.Invoke(usage);
        }

        Emit(Response.Status == "completed" ? "response.completed" : "response.incomplete", new JsonObject { ["response"] = Response.ToJson() }, output);
        IsCompleted = true;
    }

    private void Fail(string message, ICollection<ResponsesSseEvent> output)
    {
        Close(output);
        Response.Status = "failed";
        Response.Error = ("server_error", message);
        Emit("response.failed", new JsonObject { ["response"] = Response.ToJson() }, output);
        IsCompleted = true;
    }

    private void Start(ICollection<ResponsesSseEvent> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var json = Response.ToJson();
        Emit("response.created", new JsonObject { ["response"] = json }, output);
        Emit("response.in_progress", new JsonObject { ["response"] = json.DeepClone() }, output);
    }

    private void OnToolCall(JsonElement call, ICollection<ResponsesSseEvent> output)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var parsed) ? parsed : 0;
        var function = call.TryGetProperty("function", out var f) ? f : default;
        if (!_toolItems.ContainsKey(index))
        {
            Close(output);
            _toolItems[index] = Response.Output.Count;
            _item = ResponsesResponseTranslator.FunctionCallItem(
                ResponseObject.NewItemId("fc"), Get(call, "id") ?? ResponseObject.NewItemId("call"), Get(function, "name") ?? "", "", "in_progress");
            OpenItem(ItemKind.Tool, output);
        }

        if (_open == ItemKind.Tool && _toolItems[index] == Response.Output.Count && Get(function, "arguments") is { Length: > 0 } arguments)
        {
            _text.Append(arguments);
            Emit("response.function_call_arguments.delta", new JsonObject { ["item_id"] = ItemId, ["output_index"] = Response.Output.Count, ["delta"] = arguments }, output);
        }
    }

    private void Open(ItemKind kind, ICollection<ResponsesSseEvent> output)
    {
        if (_open == kind)
        {
            return;
        }

        Close(output);
        _item = kind == ItemKind.Reasoning
            ? ResponsesResponseTranslator.ReasoningItem(ResponseObject.NewItemId("rs"), null)
            : ResponsesResponseTranslator.MessageItem(ResponseObject.NewItemId("msg"), "", "in_progress");
        OpenItem(kind, output);
        var part = kind == ItemKind.Reasoning ? new JsonObject { ["type"] = "summary_text", ["text"] = "" } : ResponsesResponseTranslator.TextPart("");
        Emit(kind == ItemKind.Reasoning ? "response.reasoning_summary_part.added" : "response.content_part.added", PartEvent(kind, part), output);
    }

    private void OpenItem(ItemKind kind, ICollection<ResponsesSseEvent> output)
    {
        _open = kind;
        _text.Clear();
        Emit("response.output_item.added", new JsonObject { ["output_index"] = Response.Output.Count, ["item"] = _item!.DeepClone() }, output);
    }

    private void AppendText(string text, string type, ICollection<ResponsesSseEvent> output)
    {
        _text.Append(text);
        var data = PartEvent(_open, null);
        data["delta"] = text;
        if (_open == ItemKind.Text)
        {
            data["logprobs"] = new JsonArray();
        }

        Emit(type, data, output);
    }

    private void Close(ICollection<ResponsesSseEvent> output)
    {
        if (_open == ItemKind.None)
        {
            return;
        }

        var text = _text.ToString();
        var item = _item!;
        switch (_open)
        {
            case ItemKind.Text:
                var done = PartEvent(ItemKind.Text, null);
                done["text"] = text;
                done["logprobs"] = new JsonArray();
                Emit("response.output_text.done", done, output);
                Emit("response.content_part.done", PartEvent(ItemKind.Text, ResponsesResponseTranslator.TextPart(text)), output);
                item["status"] = "completed";
                item["content"] = new JsonArray(ResponsesResponseTranslator.TextPart(text));
                break;
            case ItemKind.Reasoning:
                var summary = PartEvent(ItemKind.Reasoning, null);
                summary["text"] = text;
                Emit("response.reasoning_summary_text.done", summary, output);
                var part = new JsonObject { ["type"] = "summary_text", ["text"] = text };
                Emit("response.reasoning_summary_part.done", PartEvent(ItemKind.Reasoning, part), output);
                item["summary"] = new JsonArray(part.DeepClone());
                break;
            default:
                Emit("response.function_call_arguments.done", new JsonObject
                {
                    ["item_id"] = ItemId,
                    ["output_index"] = Response.Output.Count,
                    ["name"] = item["name"]?.DeepClone(),
                    ["arguments"] = text,
                }, output);
                item["status"] = "completed";
                item["arguments"] = text;
                break;
        }

        Emit("response.output_item.done", new JsonObject { ["output_index"] = Response.Output.Count, ["item"] = item.DeepClone() }, output);
        Response.Output.Add((JsonNode)item);
        _open = ItemKind.None;
        _item = null;
    }

    private string ItemId => _item!["id"]!.GetValue<string>();

    private JsonObject PartEvent(ItemKind kind, JsonObject? part)
    {
        var data = new JsonObject { ["item_id"] = ItemId, ["output_index"] = Response.Output.Count };
        data[kind == ItemKind.Reasoning ? "summary_index" : "content_index"] = 0;
        if (part is not null)
        {
            data["part"] = part;
        }

        return data;
    }

    private void Emit(string type, JsonObject data, ICollection<ResponsesSseEvent> output)
    {
        var json = new JsonObject { ["type"] = type, ["sequence_number"] = _sequence++ };
        foreach (var (name, value) in data.ToArray())
        {
            data.Remove(name);
            json[name] = value;
        }

        output.Add(new ResponsesSseEvent(type, NodeJson.Utf8(json)));
    }

    private static string? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private enum ItemKind
    {
        None,
        Reasoning,
        Text,
        Tool,
    }
}
