using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Anthropic.Inbound;

/// <summary>
/// Translates an Anthropic Messages request (the <c>/v1/messages</c> endpoint) into an OpenAI chat request, so an
/// Anthropic client can reach an upstream of any other dialect.
/// </summary>
/// <remarks>
/// The mirror of <see cref="AnthropicRequestTranslator"/>: <c>system</c> becomes a system message (and so does a
/// <c>system</c> message inside <c>messages</c>, where it stands), <c>tool_result</c>
/// blocks become <c>tool</c> messages (ahead of the rest of that user turn), <c>tool_use</c> blocks <c>tool_calls</c>,
/// thinking blocks <c>reasoning_content</c> plus <c>thinking_blocks</c>, <c>thinking.budget_tokens</c> a
/// <c>reasoning_effort</c> (up to 1024 low, up to 8192 medium, above that high), <c>output_format</c> a
/// <c>response_format</c> json_schema. Streams ask for <c>stream_options.include_usage</c> so usage is always known.
/// </remarks>
public static class AnthropicInboundRequestTranslator
{
    private static readonly HashSet<string> Handled =
    [
        "model", "messages", "system", "max_tokens", "temperature", "top_p", "stop_sequences", "stream", "tools",
        "tool_choice", "thinking", "metadata", "output_format",
    ];

    /// <summary>Translates <paramref name="anthropicRequestJson"/> into an OpenAI chat completions request.</summary>
    /// <param name="anthropicRequestJson">The client's Messages request.</param>
    /// <param name="upstreamModel">The model name to send upstream; null keeps the client's.</param>
    /// <returns>The OpenAI body, or the reason for a 400.</returns>
    public static AnthropicTranslateResult Translate(ReadOnlySpan<byte> anthropicRequestJson, string? upstreamModel)
    {
        JsonObject request;
        try
        {
            if (JsonNode.Parse(anthropicRequestJson) is not JsonObject parsed)
            {
                return AnthropicTranslateResult.Failure("body", "The request body must be a JSON object.");
            }

            request = parsed;
        }
        catch (JsonException)
        {
            return AnthropicTranslateResult.Failure("body", "The request body is not valid JSON.");
        }

        try
        {
            return Translate(request, upstreamModel);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A value of the wrong JSON type somewhere (a number where a string belongs): the client's mistake.
            return AnthropicTranslateResult.Failure("body", "A field has a value of the wrong type: " + e.Message);
        }
    }

    private static AnthropicTranslateResult Translate(JsonObject request, string? upstreamModel)
    {
        var unsupported = new List<string>();
        foreach (var (name, value) in request)
        {
            if (value is not null && !Handled.Contains(name))
            {
                unsupported.Add(name);
            }
        }

        if (request["max_tokens"] is not JsonValue maxValue || !maxValue.TryGetValue<int>(out var maxTokens) || maxTokens < 1)
        {
            // As the real API: max_tokens is required.
            return AnthropicTranslateResult.Failure("max_tokens", "max_tokens: Field required (a positive integer).");
        }

        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return AnthropicTranslateResult.Failure("messages", "messages: Field required (a non-empty array).");
        }

        var output = new JsonObject { ["model"] = upstreamModel ?? (string?)request["model"] ?? string.Empty };
        var openAIMessages = new JsonArray();
        if (request["system"] is { } system && TranslateSystem(system, "system", openAIMessages) is { } systemError)
        {
            return AnthropicTranslateResult.Failure(systemError.Param, systemError.Message);
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (TranslateMessage(messages[i], $"messages[{i}]", openAIMessages) is { } error)
            {
                return AnthropicTranslateResult.Failure(error.Param, error.Message);
            }
        }

        output["messages"] = openAIMessages;
        output["max_tokens"] = maxTokens;

        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            var openAITools = new JsonArray();
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonObject tool || (string?)tool["name"] is not { } name || tool["input_schema"] is not JsonObject schema
                    || ((string?)tool["type"] is { } toolType && toolType != "custom"))
                {
                    return AnthropicTranslateResult.Failure($"tools[{i}]", "Only client tools with a name and input_schema are supported (server tools need an Anthropic upstream).");
                }

                var function = new JsonObject { ["name"] = name };
                if ((string?)tool["description"] is { } description)
                {
                    function["description"] = description;
                }

                function["parameters"] = schema.DeepClone();
                openAITools.Add((JsonNode)new JsonObject { ["type"] = "function", ["function"] = function });
            }

            output["tools"] = openAITools;
        }

        if (request["tool_choice"] is JsonObject toolChoice)
        {
            switch ((string?)toolChoice["type"])
            {
                case "auto":
                    output["tool_choice"] = "auto";
                    break;
                case "any":
                    output["tool_choice"] = "required";
                    break;
                case "none":
                    output["tool_choice"] = "none";
                    break;
                case "tool" when (string?)toolChoice["name"] is { } toolName:
                    output["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = toolName } };
                    break;
                default:
                    return AnthropicTranslateResult.Failure("tool_choice", "tool_choice.type must be auto, any, none or tool (with a name).");
            }

            if (toolChoice["disable_parallel_tool_use"] is JsonValue disable && disable.TryGetValue<bool>(out var disabled) && disabled)
            {
                output["parallel_tool_calls"] = false;
            }
        }

        if (request["stop_sequences"] is JsonArray stops && stops.Count > 0)
        {
            output["stop"] = stops.DeepClone();
        }

        CopyNumber(request, output, "temperature");
        CopyNumber(request, output, "top_p");

        if (request["thinking"] is JsonObject thinking && (string?)thinking["type"] == "enabled")
        {
            var budget = thinking["budget_tokens"] is JsonValue b && b.TryGetValue<int>(out var bt) ? bt : 4096;
            output["reasoning_effort"] = budget <= 1024 ? "low" : budget <= 8192 ? "medium" : "high";
        }

        if (request["output_format"] is JsonObject outputFormat && (string?)outputFormat["type"] == "json_schema" && outputFormat["schema"] is JsonObject outputSchema)
        {
            output["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "output", ["schema"] = outputSchema.DeepClone(), ["strict"] = true },
            };
        }

        if ((string?)request["metadata"]?["user_id"] is { } user)
        {
            output["user"] = user;
        }

        var stream = request["stream"] is JsonValue streamValue && streamValue.TryGetValue<bool>(out var s) && s;
        if (stream)
        {
            output["stream"] = true;
            output["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        var body = NodeJson.Utf8(output);
        return AnthropicTranslateResult.Success(body, unsupported, stream, stream, null);
    }

    /// <summary>
    /// The top-level <c>system</c>, or a <c>system</c> message in <c>messages</c> (Anthropic's mid-conversation system
    /// messages; Claude Code appends its environment block that way): an OpenAI system message at the same place.
    /// </summary>
    private static AnthropicTranslateError? TranslateSystem(JsonNode system, string param, JsonArray output)
    {
        switch (system)
        {
            case JsonValue systemValue when systemValue.TryGetValue<string>(out var systemText):
                output.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = systemText });
                return null;
            case JsonArray systemBlocks:
                var parts = new JsonArray();
                for (var i = 0; i < systemBlocks.Count; i++)
                {
                    if (systemBlocks[i] is not JsonObject block || (string?)block["type"] != "text")
                    {
                        return new AnthropicTranslateError($"{param}[{i}]", "System blocks must be text blocks.");
                    }

                    parts.Add((JsonNode)TextPart(block));
                }

                output.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = parts });
                return null;
            default:
                return new AnthropicTranslateError(param, "A system prompt must be a string or an array of text blocks.");
        }
    }

    private static AnthropicTranslateError? TranslateMessage(JsonNode? node, string param, JsonArray output)
    {
        if (node is JsonObject { } systemMessage && (string?)systemMessage["role"] == "system")
        {
            return systemMessage["content"] is { } systemContent
                ? TranslateSystem(systemContent, $"{param}.content", output)
                : new AnthropicTranslateError($"{param}.content", "Content must be a string or an array of text blocks.");
        }

        if (node is not JsonObject message || (string?)message["role"] is not ("user" or "assistant") || (string?)message["role"] is not { } role)
        {
            return new AnthropicTranslateError($"{param}.role", "Each message needs a role of user, assistant or system.");
        }

        JsonArray blocks;
        switch (message["content"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                output.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = text });
                return null;
            case JsonArray array:
                blocks = array;
                break;
            default:
                return new AnthropicTranslateError($"{param}.content", "Content must be a string or an array of blocks.");
        }

        return role == "user" ? TranslateUser(blocks, param, output) : TranslateAssistant(blocks, param, output);
    }

    private static AnthropicTranslateError? TranslateUser(JsonArray blocks, string param, JsonArray output)
    {
        var parts = new JsonArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            var blockParam = $"{param}.content[{i}]";
            if (blocks[i] is not JsonObject block)
            {
                return new AnthropicTranslateError(blockParam, "A content block must be an object.");
            }

            if ((string?)block["type"] == "tool_result")
            {
                // OpenAI wants each result as its own tool message, right after the assistant's calls.
                var result = new JsonObject { ["role"] = "tool", ["tool_call_id"] = (string?)block["tool_use_id"] ?? string.Empty };
                switch (block["content"])
                {
                    case JsonValue resultText when resultText.TryGetValue<string>(out var text):
                        result["content"] = text;
                        break;
                    case JsonArray resultBlocks:
                        var resultParts = new JsonArray();
                        for (var j = 0; j < resultBlocks.Count; j++)
                        {
                            if (TranslateUserBlock(resultBlocks[j], $"{blockParam}.content[{j}]", resultParts) is { } error)
                            {
                                return error;
                            }
                        }

                        result["content"] = resultParts;
                        break;
                    default:
                        result["content"] = string.Empty;
                        break;
                }

                if (block["is_error"] is JsonValue isError && isError.TryGetValue<bool>(out var failed) && failed && result["content"] is JsonValue plain)
                {
                    // OpenAI has no error flag on tool results; say it in the text so the model still knows.
                    result["content"] = "Error: " + (string?)plain;
                }

                output.Add((JsonNode)result);
                continue;
            }

            if (TranslateUserBlock(block, blockParam, parts) is { } partError)
            {
                return partError;
            }
        }

        if (parts.Count > 0)
        {
            output.Add((JsonNode)new JsonObject { ["role"] = "user", ["content"] = parts });
        }

        return null;
    }

    private static AnthropicTranslateError? TranslateUserBlock(JsonNode? node, string param, JsonArray parts)
    {
        if (node is not JsonObject block)
        {
            return new AnthropicTranslateError(param, "A content block must be an object.");
        }

        switch ((string?)block["type"])
        {
            case "text":
                parts.Add((JsonNode)TextPart(block));
                return null;
            case "image" when block["source"] is JsonObject source:
                string? url = (string?)source["type"] switch
                {
                    "base64" => $"data:{(string?)source["media_type"]};base64,{(string?)source["data"]}",
                    "url" => (string?)source["url"],
                    _ => null,
                };
                if (url is null)
                {
                    return new AnthropicTranslateError($"{param}.source", "Image sources must be base64 or url.");
                }

                parts.Add((JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                return null;
            case "document" when block["source"] is JsonObject document && (string?)document["type"] == "base64":
                var file = new JsonObject { ["file_data"] = $"data:{(string?)document["media_type"]};base64,{(string?)document["data"]}" };
                if ((string?)block["title"] is { } title)
                {
                    file["filename"] = title;
                }

                parts.Add((JsonNode)new JsonObject { ["type"] = "file", ["file"] = file });
                return null;
            case "document" when block["source"] is JsonObject textDocument && (string?)textDocument["type"] == "text":
                parts.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = (string?)textDocument["data"] ?? string.Empty });
                return null;
            default:
                return new AnthropicTranslateError($"{param}.type", $"Content block type '{(string?)block["type"]}' cannot be sent to this model.");
        }
    }

    private static AnthropicTranslateError? TranslateAssistant(JsonArray blocks, string param, JsonArray output)
    {
        var message = new JsonObject { ["role"] = "assistant" };
        var text = new System.Text.StringBuilder();
        var hasText = false;
        var reasoning = new System.Text.StringBuilder();
        var thinkingBlocks = new JsonArray();
        var toolCalls = new JsonArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is not JsonObject block)
            {
                return new AnthropicTranslateError($"{param}.content[{i}]", "A content block must be an object.");
            }

            switch ((string?)block["type"])
            {
                case "text":
                    text.Append((string?)block["text"]);
                    hasText = true;
                    break;
                case "thinking":
                    reasoning.Append((string?)block["thinking"]);
                    thinkingBlocks.Add(block.DeepClone());
                    break;
                case "redacted_thinking":
                    thinkingBlocks.Add(block.DeepClone());
                    break;
                case "tool_use":
                    toolCalls.Add((JsonNode)new JsonObject
                    {
                        ["id"] = (string?)block["id"] ?? string.Empty,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = (string?)block["name"] ?? string.Empty,
                            ["arguments"] = block["input"]?.ToJsonString() ?? "{}",
                        },
                    });
                    break;
                default:
                    return new AnthropicTranslateError($"{param}.content[{i}].type", $"Content block type '{(string?)block["type"]}' cannot be sent to this model.");
            }
        }

        message["content"] = hasText ? text.ToString() : null;
        if (reasoning.Length > 0)
        {
            message["reasoning_content"] = reasoning.ToString();
        }

        if (thinkingBlocks.Count > 0)
        {
            message["thinking_blocks"] = thinkingBlocks;
        }

        if (toolCalls.Count > 0)
        {
            message["tool_calls"] = toolCalls;
        }

        output.Add((JsonNode)message);
        return null;
    }

    private static JsonObject TextPart(JsonObject block)
    {
        var part = new JsonObject { ["type"] = "text", ["text"] = (string?)block["text"] ?? string.Empty };
        if (block["cache_control"] is JsonObject cacheControl)
        {
            // Kept for OpenAI-dialect upstreams that honour it (and for an Anthropic upstream reached through translation).
            part["cache_control"] = cacheControl.DeepClone();
        }

        return part;
    }

    private static void CopyNumber(JsonObject from, JsonObject to, string name)
    {
        if (from[name] is JsonValue value && value.TryGetValue<double>(out var number))
        {
            to[name] = number;
        }
    }
}
