using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Dialects;

/// <summary>Reads an Anthropic Messages request into the engine's <see cref="ChatRequest"/>, validated as Anthropic validates it.</summary>
internal static class AnthropicRequestParser
{
    /// <param name="root">The request body.</param>
    /// <param name="error">The 400 Anthropic would answer, when the request is invalid.</param>
    /// <param name="requireMaxTokens">False for <c>count_tokens</c>, which takes no <c>max_tokens</c>.</param>
    public static ChatRequest? Parse(JsonElement root, out EmulatorError? error, bool requireMaxTokens = true)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = EmulatorError.InvalidRequest("Input should be a valid dictionary or object to extract fields from");
            return null;
        }

        // Anthropic reports missing required fields as "<field>: Field required", in this order.
        foreach (var required in (ReadOnlySpan<string>)["model", "messages", "max_tokens"])
        {
            if (!requireMaxTokens && required == "max_tokens")
            {
                continue;
            }

            if (!root.TryGetProperty(required, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                error = EmulatorError.InvalidRequest($"{required}: Field required", required);
                return null;
            }
        }

        if (root.GetProperty("model").ValueKind != JsonValueKind.String || root.GetProperty("model").GetString() is not { Length: > 0 } model)
        {
            error = EmulatorError.InvalidRequest("model: Input should be a valid string", "model");
            return null;
        }

        var maxTokens = 1;
        if (requireMaxTokens && (!root.GetProperty("max_tokens").TryGetInt32(out maxTokens) || maxTokens < 1))
        {
            error = EmulatorError.InvalidRequest("max_tokens: Input should be a valid integer greater than or equal to 1", "max_tokens");
            return null;
        }

        if (root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number && temperature.GetDouble() is < 0 or > 1)
        {
            error = EmulatorError.InvalidRequest("temperature: Input should be less than or equal to 1", "temperature");
            return null;
        }

        var messages = root.GetProperty("messages");
        if (messages.ValueKind != JsonValueKind.Array)
        {
            error = EmulatorError.InvalidRequest("messages: Input should be a valid list", "messages");
            return null;
        }

        long promptTokens = TokenEstimate.ReplyPriming;
        if (root.TryGetProperty("system", out var system))
        {
            promptTokens += TokenEstimate.FromChars(TextOf(system, out _).Length);
        }

        var thinking = root.TryGetProperty("thinking", out var thinkingConfig) && thinkingConfig.ValueKind == JsonValueKind.Object
            && thinkingConfig.TryGetProperty("type", out var thinkingType) && thinkingType.ValueKind == JsonValueKind.String
            && thinkingType.GetString() is "enabled" or "adaptive";
        string? lastUserText = null;
        var endsWithUser = false;
        var lastAssistant = -1;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                error = EmulatorError.InvalidRequest($"messages.{index}: Input should be a valid dictionary", $"messages.{index}");
                return null;
            }

            var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (role is not ("user" or "assistant" or "system"))
            {
                error = EmulatorError.InvalidRequest($"messages.{index}.role: Input should be 'user', 'assistant' or 'system'", $"messages.{index}.role");
                return null;
            }

            if (!message.TryGetProperty("content", out var content))
            {
                error = EmulatorError.InvalidRequest($"messages.{index}.content: Field required", $"messages.{index}.content");
                return null;
            }

            if (role == "assistant")
            {
                lastAssistant = index;
                if (CheckThinkingBlocks(content, index) is { } signatureError)
                {
                    error = signatureError;
                    return null;
                }
            }

            if (CheckMediaBlocks(content, index) is { } mediaError)
            {
                error = mediaError;
                return null;
            }

            var text = TextOf(content, out var hasToolResult);
            promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(text.Length);
            if (role == "system")
            {
                // A mid-conversation system message (Anthropic accepts them after a user turn): instructions, not a turn.
                if (lastUserText is null)
                {
                    error = EmulatorError.InvalidRequest($"messages.{index}.role: a system message must come after a user turn; put leading instructions in the top-level system field", $"messages.{index}.role");
                    return null;
                }

                index++;
                continue;
            }

            endsWithUser = role == "user" && !hasToolResult;
            if (role == "user")
            {
                lastUserText = text;
            }

            index++;
        }

        if (index == 0)
        {
            error = EmulatorError.InvalidRequest("messages: at least one message is required", "messages");
            return null;
        }

        if (thinking && lastAssistant >= 0 && CheckThinkingFirst(messages[lastAssistant], lastAssistant) is { } orderError)
        {
            error = orderError;
            return null;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        var echoText = Directive.Extract(lastUserText ?? "", pairs).Trim();
        if (BodyKnobs.Read(root, pairs) is { } knobError)
        {
            error = knobError;
            return null;
        }

        var tools = new List<ToolDefinition>();
        if (root.TryGetProperty("tools", out var toolsElement) && toolsElement.ValueKind == JsonValueKind.Array)
        {
            promptTokens += TokenEstimate.FromChars(toolsElement.GetRawText().Length);
            var i = 0;
            foreach (var tool in toolsElement.EnumerateArray())
            {
                if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    error = EmulatorError.InvalidRequest($"tools.{i}.custom.name: Field required", $"tools.{i}.name");
                    return null;
                }

                if (!tool.TryGetProperty("type", out var type) || type.GetString() is null or "custom")
                {
                    if (!tool.TryGetProperty("input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                    {
                        error = EmulatorError.InvalidRequest($"tools.{i}.custom.input_schema: Field required", $"tools.{i}.input_schema");
                        return null;
                    }

                    tools.Add(new ToolDefinition(name.GetString()!, ToolArguments.Build(schema)));
                }

                i++;
            }
        }

        var (choice, choiceName) = ReadToolChoice(root);
        return new ChatRequest
        {
            Model = model,
            Stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
            IncludeUsage = true,
            MaxTokens = requireMaxTokens ? maxTokens : null,
            LastUserText = echoText,
            EndsWithUser = endsWithUser,
            PromptTokenEstimate = promptTokens,
            Tools = tools,
            ToolChoice = choice,
            ToolChoiceName = choiceName,
            Thinking = thinking,
            KnobPairs = pairs,
        };
    }

    // Image and document blocks need a source Anthropic can read: base64 with media_type and data, or a URL.
    private static EmulatorError? CheckMediaBlocks(JsonElement content, int index)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            var type = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type is "image" or "document")
            {
                var source = block.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
                var sourceType = source.ValueKind == JsonValueKind.Object && source.TryGetProperty("type", out var st) ? st.GetString() : null;
                var ok = sourceType switch
                {
                    "base64" => source.TryGetProperty("media_type", out var mt) && mt.ValueKind == JsonValueKind.String
                        && source.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String && IsBase64(data.GetString()!),
                    "url" => source.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String,
                    "text" => type == "document",
                    _ => false,
                };
                if (!ok)
                {
                    return EmulatorError.InvalidRequest($"messages.{index}.content.{j}.{type}.source: Input tag '{sourceType}' found using 'type' does not match any of the expected tags: 'base64', 'url'", $"messages.{index}.content.{j}.source");
                }
            }

            j++;
        }

        return null;
    }

    private static bool IsBase64(string data)
    {
        var buffer = new byte[(data.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(data, buffer, out _);
    }

    // Every thinking block sent back must carry the signature it was issued with.
    private static EmulatorError? CheckThinkingBlocks(JsonElement content, int index)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueEquals("thinking"))
            {
                var text = block.TryGetProperty("thinking", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
                var signature = block.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (signature != EmulatorSignatures.Thinking(text))
                {
                    return EmulatorError.InvalidRequest($"messages.{index}.content.{j}: Invalid `signature` in `thinking` block", $"messages.{index}.content.{j}");
                }
            }

            j++;
        }

        return null;
    }

    // With thinking on, a final assistant turn that used tools must start with its thinking block, as Anthropic requires.
    private static EmulatorError? CheckThinkingFirst(JsonElement message, int index)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0)
        {
            return null;
        }

        var usesTools = false;
        foreach (var block in content.EnumerateArray())
        {
            usesTools |= block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueEquals("tool_use");
        }

        var first = content[0].TryGetProperty("type", out var firstType) ? firstType.GetString() : null;
        return usesTools && first is not ("thinking" or "redacted_thinking")
            ? EmulatorError.InvalidRequest(
                $"messages.{index}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{first}`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.",
                $"messages.{index}.content.0.type")
            : null;
    }

    private static (ToolChoiceKind, string?) ReadToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind != JsonValueKind.Object
            || !choice.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return (ToolChoiceKind.Auto, null);
        }

        return type.GetString() switch
        {
            "none" => (ToolChoiceKind.None, null),
            "any" => (ToolChoiceKind.Required, null),
            "tool" when choice.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String => (ToolChoiceKind.Named, name.GetString()),
            _ => (ToolChoiceKind.Auto, null),
        };
    }

    // Content is a string or a list of blocks; text blocks count, tool results mark a tool turn.
    private static string TextOf(JsonElement content, out bool hasToolResult)
    {
        hasToolResult = false;
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (block.TryGetProperty("type", out var type) && type.ValueEquals("tool_result"))
            {
                hasToolResult = true;
                continue;
            }

            if (block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(text.GetString());
            }
        }

        return sb.ToString();
    }
}
