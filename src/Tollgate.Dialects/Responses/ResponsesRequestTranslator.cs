using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Responses;

/// <summary>
/// Translates an OpenAI Responses API request (<c>/v1/responses</c>) into OpenAI's chat completions shape, the shape
/// every outbound dialect starts from. Pure: JSON in, JSON out.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>instructions</c> becomes the first system message; <c>developer</c> messages become system messages (not
/// every chat provider knows the developer role).</item>
/// <item><c>function_call</c> items become an assistant message's <c>tool_calls</c> (consecutive calls, and the
/// assistant text right before them, share one message); <c>function_call_output</c> items become tool messages.</item>
/// <item><c>reasoning</c> items are the model's own reasoning from an earlier turn; chat providers take none back, so
/// they are left out of the translated conversation.</item>
/// <item><c>namespace</c> tools are listed flat: their function tools become chat tools of the same names.</item>
/// <item>Built-in tools (<c>web_search</c>, <c>file_search</c>, <c>computer_use_preview</c>, ...) are collected in
/// <see cref="ResponsesTranslation.BuiltInTools"/>: only OpenAI runs them, so the caller refuses them elsewhere.</item>
/// <item><c>text.format</c> becomes <c>response_format</c>, <c>reasoning.effort</c> <c>reasoning_effort</c>,
/// <c>max_output_tokens</c> <c>max_completion_tokens</c>. Parameters with no chat equivalent are named in
/// <see cref="ResponsesTranslation.Unsupported"/>.</item>
/// </list>
/// </remarks>
public static class ResponsesRequestTranslator
{
    /// <summary>Members the gateway itself acts on, or that need no translation.</summary>
    private static readonly HashSet<string> Consumed = new(StringComparer.Ordinal)
    {
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "text", "reasoning",
        "max_output_tokens", "temperature", "top_p", "stream", "store", "previous_response_id", "metadata", "user", "models",
        "emulator", "stream_options",
    };

    /// <summary>Translates <paramref name="body"/>, with <paramref name="history"/> (the stored conversation a
    /// <c>previous_response_id</c> names, as Responses items) before its own input.</summary>
    public static ResponsesTranslation Translate(ReadOnlySpan<byte> body, IReadOnlyList<JsonNode>? history = null)
    {
        JsonObject request;
        try
        {
            if (JsonNode.Parse(body) is not JsonObject parsed)
            {
                return ResponsesTranslation.Failure("input", "The request body must be a JSON object.");
            }

            request = parsed;
        }
        catch (JsonException ex)
        {
            return ResponsesTranslation.Failure("input", "The request body is not valid JSON: " + ex.Message);
        }

        var input = InputItems(request["input"], out var inputError);
        if (input is null)
        {
            return ResponsesTranslation.Failure("input", inputError!);
        }

        var chat = new JsonObject { ["model"] = request["model"]?.DeepClone() };
        var messages = new JsonArray();
        if (request["instructions"] is JsonValue instructions && instructions.TryGetValue<string>(out var system) && system.Length > 0)
        {
            messages.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = system });
        }

        var items = new List<JsonNode>();
        if (history is not null)
        {
            items.AddRange(history);
        }

        items.AddRange(input);
        var index = 0;
        foreach (var item in items)
        {
            if (AddItem(item, messages, out var param) is { } error)
            {
                return ResponsesTranslation.Failure(param ?? $"input[{index}]", error);
            }

            index++;
        }

        if (messages.Count == 0)
        {
            return ResponsesTranslation.Failure("input", "The request has no input.");
        }

        chat["messages"] = messages;
        var builtIn = new List<string>();
        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            var chatTools = new JsonArray();
            foreach (var tool in tools)
            {
                if (tool is not JsonObject t)
                {
                    return ResponsesTranslation.Failure("tools", "Every tool must be an object.");
                }

                switch (Str(t, "type"))
                {
                    case "function":
                        chatTools.Add((JsonNode)ChatTool(t));
                        break;
                    case "namespace" when t["tools"] is JsonArray inner:
                        // A namespace groups function tools (Codex sends its sub-agent tools so); chat has none, so they are listed flat.
                        foreach (var member in inner.OfType<JsonObject>().Where(static m => Str(m, "type") is "function" or null))
                        {
                            chatTools.Add((JsonNode)ChatTool(member));
                        }

                        break;
                    default:
                        builtIn.Add(Str(t, "type") ?? "unknown");
                        break;
                }
            }

            if (chatTools.Count > 0)
            {
                chat["tools"] = chatTools;
            }
        }

        if (request["tool_choice"] is { } choice && ToolChoice(choice, out var choiceError) is var chatChoice)
        {
            if (choiceError is not null)
            {
                return ResponsesTranslation.Failure("tool_choice", choiceError);
            }

            if (chatChoice is not null && chat["tools"] is not null)
            {
                chat["tool_choice"] = chatChoice;
            }
        }

        if (chat["tools"] is not null && request["parallel_tool_calls"] is JsonValue parallel)
        {
            chat["parallel_tool_calls"] = parallel.DeepClone();
        }

        var unsupported = new List<string>();
        if (request["text"] is JsonObject text)
        {
            if (text["format"] is JsonObject format && ResponseFormat(format, out var formatError) is var responseFormat)
            {
                if (formatError is not null)
                {
                    return ResponsesTranslation.Failure("text.format", formatError);
                }

                if (responseFormat is not null)
                {
                    chat["response_format"] = responseFormat;
                }
            }

            if (text["verbosity"] is not null)
            {
                unsupported.Add("text.verbosity");
            }
        }

        if (request["reasoning"] is JsonObject reasoning)
        {
            if (reasoning["effort"] is JsonValue effort && effort.TryGetValue<string>(out var e) && e != "none")
            {
                chat["reasoning_effort"] = e;
            }

            if (reasoning["summary"] is JsonValue summary && summary.GetValueKind() == JsonValueKind.String)
            {
                // The summary a chat provider gives is its whole reasoning text; nothing to ask for.
                unsupported.Add("reasoning.summary");
            }
        }

        if (request["max_output_tokens"] is JsonValue max)
        {
            chat["max_completion_tokens"] = max.DeepClone();
        }

        CopyIfPresent(request, chat, "temperature", "top_p", "user");
        if (request["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True)
        {
            chat["stream"] = true;
            chat["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        foreach (var (name, value) in request)
        {
            if (!Consumed.Contains(name) && value is not null)
            {
                unsupported.Add(name);
            }
        }

        return new ResponsesTranslation
        {
            Body = NodeJson.Utf8(chat),
            Unsupported = unsupported,
            BuiltInTools = builtIn,
            InputItems = new JsonArray(input.Select(static i => i.DeepClone()).ToArray()),
            Echo = Echo(request),
        };
    }

    /// <summary>What a response object repeats of its request, with OpenAI's defaults where the request was silent.</summary>
    private static JsonObject Echo(JsonObject request)
    {
        var echo = new JsonObject
        {
            ["instructions"] = request["instructions"]?.DeepClone(),
            ["max_output_tokens"] = request["max_output_tokens"]?.DeepClone(),
            ["parallel_tool_calls"] = request["parallel_tool_calls"]?.DeepClone() ?? true,
            ["previous_response_id"] = request["previous_response_id"]?.DeepClone(),
            ["reasoning"] = request["reasoning"]?.DeepClone() ?? new JsonObject { ["effort"] = null, ["summary"] = null },
            ["store"] = request["store"]?.DeepClone() ?? true,
            ["temperature"] = request["temperature"]?.DeepClone() ?? 1.0,
            ["text"] = request["text"]?.DeepClone() ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = request["tool_choice"]?.DeepClone() ?? "auto",
            ["tools"] = request["tools"]?.DeepClone() ?? new JsonArray(),
            ["top_p"] = request["top_p"]?.DeepClone() ?? 1.0,
            ["truncation"] = request["truncation"]?.DeepClone() ?? "disabled",
            ["user"] = request["user"]?.DeepClone(),
            ["metadata"] = request["metadata"]?.DeepClone() ?? new JsonObject(),
        };
        return echo;
    }

    private static JsonObject ChatTool(JsonObject tool)
    {
        var function = new JsonObject { ["name"] = tool["name"]?.DeepClone() };
        CopyIfPresent(tool, function, "description", "parameters", "strict");
        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    /// <summary>The request's <c>input</c> as items: a string is one user message.</summary>
    public static List<JsonNode>? InputItems(JsonNode? input, out string? error)
    {
        error = null;
        switch (input)
        {
            case null:
                return [];
            case JsonValue value when value.TryGetValue<string>(out var text):
                return [new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = text }) }];
            case JsonArray array:
                var items = new List<JsonNode>(array.Count);
                foreach (var item in array)
                {
                    if (item is not JsonObject)
                    {
                        error = "Every input item must be an object.";
                        return null;
                    }

                    items.Add(item.DeepClone());
                }

                return items;
            default:
                error = "'input' must be a string or an array of input items.";
                return null;
        }
    }

    private static string? AddItem(JsonNode item, JsonArray messages, out string? param)
    {
        param = null;
        var obj = item.AsObject();
        var type = Str(obj, "type") ?? (obj["role"] is not null ? "message" : null);
        switch (type)
        {
            case "message":
                return AddMessage(obj, messages);
            case "function_call":
            {
                var call = new JsonObject
                {
                    ["id"] = Str(obj, "call_id") ?? Str(obj, "id"),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = Str(obj, "name"), ["arguments"] = Str(obj, "arguments") ?? "{}" },
                };
                if (messages.Count > 0 && messages[^1] is JsonObject last && Str(last, "role") == "assistant")
                {
                    if (last["tool_calls"] is not JsonArray calls)
                    {
                        last["tool_calls"] = calls = [];
                    }

                    calls.Add((JsonNode)call);
                }
                else
                {
                    messages.Add((JsonNode)new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(call) });
                }

                return null;
            }

            case "function_call_output":
            {
                var output = obj["output"] switch
                {
                    JsonValue v when v.TryGetValue<string>(out var s) => s,
                    JsonArray parts => TextOf(parts),
                    { } other => other.ToJsonString(),
                    null => "",
                };
                messages.Add((JsonNode)new JsonObject { ["role"] = "tool", ["tool_call_id"] = Str(obj, "call_id"), ["content"] = output });
                return null;
            }

            case "reasoning":
                return null;
            case "item_reference":
                param = "input";
                return "Input items of type 'item_reference' are not supported; send the items themselves, or use previous_response_id.";
            default:
                return $"Input items of type '{type ?? "(none)"}' are not supported for this model's provider.";
        }
    }

    private static string? AddMessage(JsonObject item, JsonArray messages)
    {
        var role = Str(item, "role") ?? "user";
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            return $"Unknown message role '{role}'.";
        }

        if (role == "developer")
        {
            role = "system";
        }

        var content = item["content"];
        if (role is "assistant" or "system")
        {
            var text = content is JsonArray parts ? TextOf(parts) : content?.GetValue<string>() ?? "";
            messages.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = text });
            return null;
        }

        if (content is JsonValue value && value.TryGetValue<string>(out var plain))
        {
            messages.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = plain });
            return null;
        }

        if (content is not JsonArray array)
        {
            return "A message's content must be a string or an array of content parts.";
        }

        var chatParts = new JsonArray();
        foreach (var part in array)
        {
            if (part is not JsonObject p)
            {
                return "Every content part must be an object.";
            }

            switch (Str(p, "type"))
            {
                case "input_text" or "output_text" or "text":
                    chatParts.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = Str(p, "text") ?? "" });
                    break;
                case "input_image":
                    if (Str(p, "image_url") is not { } url)
                    {
                        return "input_image parts need an image_url (a URL or a data: URL); file_id references are not supported for this model's provider.";
                    }

                    var image = new JsonObject { ["url"] = url };
                    if (Str(p, "detail") is { } detail)
                    {
                        image["detail"] = detail;
                    }

                    chatParts.Add((JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = image });
                    break;
                case "input_file":
                    var file = new JsonObject();
                    CopyIfPresent(p, file, "file_data", "file_id", "filename");
                    if (file.Count == 0)
                    {
                        return "input_file parts need file_data or file_id.";
                    }

                    chatParts.Add((JsonNode)new JsonObject { ["type"] = "file", ["file"] = file });
                    break;
                default:
                    return $"Content parts of type '{Str(p, "type")}' are not supported.";
            }
        }

        messages.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = chatParts });
        return null;
    }

    private static JsonNode? ToolChoice(JsonNode choice, out string? error)
    {
        error = null;
        if (choice is JsonValue value && value.TryGetValue<string>(out var s))
        {
            if (s is "auto" or "none" or "required")
            {
                return s;
            }

            error = $"Unknown tool_choice '{s}'.";
            return null;
        }

        if (choice is JsonObject obj && Str(obj, "type") == "function" && Str(obj, "name") is { } name)
        {
            return new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };
        }

        error = $"tool_choice of type '{(choice as JsonObject)?["type"]}' is only served by OpenAI itself.";
        return null;
    }

    private static JsonObject? ResponseFormat(JsonObject format, out string? error)
    {
        error = null;
        switch (Str(format, "type"))
        {
            case "text" or null:
                return null;
            case "json_object":
                return new JsonObject { ["type"] = "json_object" };
            case "json_schema":
                if (format["schema"] is not JsonObject)
                {
                    error = "text.format of type json_schema needs a 'schema' object.";
                    return null;
                }

                var schema = new JsonObject { ["name"] = Str(format, "name") ?? "response" };
                CopyIfPresent(format, schema, "schema", "strict", "description");
                return new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
            default:
                error = $"Unknown text.format type '{Str(format, "type")}'.";
                return null;
        }
    }

    /// <summary>The text parts of a content array, one per line.</summary>
    internal static string TextOf(JsonArray parts)
    {
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is JsonObject p && Str(p, "text") is { } text)
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(text);
            }
        }

        return sb.ToString();
    }

    private static void CopyIfPresent(JsonObject from, JsonObject to, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (from[name] is { } value)
            {
                to[name] = value.DeepClone();
            }
        }
    }

    internal static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
