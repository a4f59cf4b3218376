using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic.Inbound;

namespace Tollgate.Dialects.Responses;

/// <summary>
/// Turns a whole OpenAI <c>chat.completion</c> into a Responses API <c>response</c>: reasoning text becomes a
/// <c>reasoning</c> item with a summary, the text a <c>message</c> item with one <c>output_text</c> part, and each
/// tool call a <c>function_call</c> item, in that order (the order OpenAI's own responses have).
/// </summary>
public static class ResponsesResponseTranslator
{
    /// <summary>The response for <paramref name="chatCompletion"/>; null when it is not a chat completion.</summary>
    /// <param name="chatCompletion">The OpenAI-shaped answer.</param>
    /// <param name="response">The response object to fill (its id, model and echoed settings).</param>
    /// <param name="cost">Prices the usage for <c>usage.cost</c>.</param>
    public static JsonObject? Translate(ReadOnlySpan<byte> chatCompletion, ResponseObject response, Func<TokenUsage, decimal?>? cost)
    {
        ArgumentNullException.ThrowIfNull(response);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(chatCompletion.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                return null;
            }

            var choice = choices[0];
            var message = choice.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            if (message.ValueKind == JsonValueKind.Object)
            {
                if ((Get(message, "reasoning_content") ?? Get(message, "reasoning")) is { Length: > 0 } reasoning)
                {
                    response.Output.Add((JsonNode)ReasoningItem(ResponseObject.NewItemId("rs"), reasoning));
                }

                if (Get(message, "content") is { Length: > 0 } text)
                {
                    response.Output.Add((JsonNode)MessageItem(ResponseObject.NewItemId("msg"), text, "completed"));
                }
                else if (Get(message, "refusal") is { Length: > 0 } refusal)
                {
                    var item = MessageItem(ResponseObject.NewItemId("msg"), "", "completed");
                    item["content"] = new JsonArray(new JsonObject { ["type"] = "refusal", ["refusal"] = refusal });
                    response.Output.Add((JsonNode)item);
                }

                if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var function = call.TryGetProperty("function", out var f) ? f : default;
                        response.Output.Add((JsonNode)FunctionCallItem(
                            ResponseObject.NewItemId("fc"), Get(call, "id") ?? ResponseObject.NewItemId("call"), Get(function, "name") ?? "", Get(function, "arguments") ?? "{}", "completed"));
                    }
                }
            }

            response.Finish(Get(choice, "finish_reason"));
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                response.Usage = OpenAIUsageReader.Read(usage);
                response.Cost = cost?.Invoke(response.Usage);
            }

            return response.ToJson();
        }
    }

    /// <summary>An assistant <c>message</c> item holding <paramref name="text"/>.</summary>
    public static JsonObject MessageItem(string id, string text, string status) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = status,
        ["role"] = "assistant",
        ["content"] = status == "in_progress" ? new JsonArray() : new JsonArray(TextPart(text)),
    };

    /// <summary>An <c>output_text</c> content part.</summary>
    public static JsonObject TextPart(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray() };

    /// <summary>A <c>function_call</c> item.</summary>
    public static JsonObject FunctionCallItem(string id, string callId, string name, string arguments, string status) => new()
    {
        ["id"] = id,
        ["type"] = "function_call",
        ["status"] = status,
        ["arguments"] = arguments,
        ["call_id"] = callId,
        ["name"] = name,
    };

    /// <summary>A <c>reasoning</c> item whose summary is the provider's reasoning text.</summary>
    public static JsonObject ReasoningItem(string id, string? summary) => new()
    {
        ["id"] = id,
        ["type"] = "reasoning",
        ["summary"] = summary is null ? new JsonArray() : new JsonArray(new JsonObject { ["type"] = "summary_text", ["text"] = summary }),
    };

    private static string? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
