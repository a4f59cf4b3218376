using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Dialects;

/// <summary>
/// Reads an OpenAI Responses API request (<c>POST /v1/responses</c>) into the shared <see cref="ChatRequest"/>:
/// <c>input</c> as a string or items (messages, <c>function_call</c>, <c>function_call_output</c>, <c>reasoning</c>),
/// <c>instructions</c>, flat function <c>tools</c>, <c>tool_choice</c>, <c>max_output_tokens</c>, <c>reasoning</c>
/// and <c>text.format</c> (a json_schema is answered with JSON matching it). Validated as OpenAI validates it.
/// </summary>
internal static class ResponsesRequestParser
{
    public static ChatRequest? Parse(JsonElement root, ResponsesState state, out EmulatorError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = EmulatorError.InvalidRequest("Invalid request body: expected a JSON object.");
            return null;
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { Length: > 0 } model)
        {
            error = EmulatorError.InvalidRequest("Missing required parameter: 'model'.", "model", "missing_required_parameter");
            return null;
        }

        var previous = root.TryGetProperty("previous_response_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (previous is not null && !state.Knows(previous))
        {
            error = new EmulatorError(404, $"Previous response with id '{previous}' not found.", "invalid_request_error", "previous_response_id", "previous_response_not_found");
            return null;
        }

        var hasInput = root.TryGetProperty("input", out var input) && input.ValueKind != JsonValueKind.Null;
        if (!hasInput && previous is null)
        {
            error = EmulatorError.InvalidRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
            return null;
        }

        long promptTokens = TokenEstimate.ReplyPriming + (previous is null ? 0 : state.PromptOf(previous));
        if (root.TryGetProperty("instructions", out var instructions) && instructions.ValueKind == JsonValueKind.String)
        {
            promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(instructions.GetString()!.Length);
        }

        string? lastUserText = null;
        string? lastKind = null;
        if (hasInput && input.ValueKind == JsonValueKind.String)
        {
            lastUserText = input.GetString()!;
            lastKind = "user";
            promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(lastUserText.Length);
        }
        else if (hasInput && input.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    error = EmulatorError.InvalidRequest($"Invalid type for 'input[{index}]': expected an object.", $"input[{index}]", "invalid_type");
                    return null;
                }

                var type = Str(item, "type") ?? (item.TryGetProperty("role", out _) ? "message" : null);
                switch (type)
                {
                    case "message":
                        var role = Str(item, "role");
                        if (role is not ("user" or "assistant" or "system" or "developer"))
                        {
                            error = EmulatorError.InvalidRequest($"Invalid value for 'input[{index}].role'.", $"input[{index}].role", "invalid_value");
                            return null;
                        }

                        var text = TextOf(item);
                        promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(text.Length);
                        if (role == "user")
                        {
                            lastUserText = text;
                        }

                        lastKind = role;
                        break;
                    case "function_call":
                        promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars((Str(item, "arguments") ?? "").Length);
                        lastKind = "function_call";
                        break;
                    case "function_call_output":
                        if (Str(item, "call_id") is null)
                        {
                            error = EmulatorError.InvalidRequest($"Missing required parameter: 'input[{index}].call_id'.", $"input[{index}].call_id", "missing_required_parameter");
                            return null;
                        }

                        promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(item.TryGetProperty("output", out var o) ? o.GetRawText().Length : 0);
                        lastKind = "function_call_output";
                        break;
                    case "reasoning":
                        break;
                    default:
                        // Codex and others send item types the emulator does not act on (local_shell_call, ...): counted, not refused.
                        promptTokens += TokenEstimate.FromChars(item.GetRawText().Length);
                        lastKind = type;
                        break;
                }

                index++;
            }
        }
        else if (hasInput)
        {
            error = EmulatorError.InvalidRequest("Invalid type for 'input': expected a string or an array of input items.", "input", "invalid_type");
            return null;
        }

        // A continuation whose input holds no user message (only tool outputs) answers the conversation's last one.
        lastUserText ??= previous is null ? null : state.LastUserTextOf(previous);
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
            foreach (var tool in toolsElement.EnumerateArray())
            {
                if (Str(tool, "type") == "function" && Str(tool, "name") is { } name)
                {
                    tools.Add(new ToolDefinition(name, ToolArguments.Build(tool.TryGetProperty("parameters", out var schema) ? schema : null)));
                }
            }
        }

        int? maxTokens = null;
        if (root.TryGetProperty("max_output_tokens", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (!max.TryGetInt32(out var value) || value < 16)
            {
                error = EmulatorError.InvalidRequest("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.", "max_output_tokens", "integer_below_min_value");
                return null;
            }

            maxTokens = value;
        }

        string? structured = null;
        if (root.TryGetProperty("text", out var textConfig) && textConfig.ValueKind == JsonValueKind.Object
            && textConfig.TryGetProperty("format", out var format) && Str(format, "type") == "json_schema")
        {
            if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                error = EmulatorError.InvalidRequest("Missing required parameter: 'text.format.schema'.", "text.format.schema", "missing_required_parameter");
                return null;
            }

            structured = ToolArguments.Build(schema);
        }

        var thinking = root.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object
            && Str(reasoning, "effort") is { } effort && effort != "none";
        var (choice, choiceName) = ReadToolChoice(root);
        return new ChatRequest
        {
            Model = model,
            Stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
            IncludeUsage = true,
            MaxTokens = maxTokens,
            LastUserText = echoText,
            RawUserText = lastUserText,
            EndsWithUser = lastKind == "user",
            PromptTokenEstimate = promptTokens,
            Tools = tools,
            ToolChoice = choice,
            ToolChoiceName = choiceName,
            StructuredReply = structured,
            Thinking = thinking,
            KnobPairs = pairs,
        };
    }

    private static (ToolChoiceKind, string?) ReadToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice))
        {
            return (ToolChoiceKind.Auto, null);
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "none" => (ToolChoiceKind.None, null),
                "required" => (ToolChoiceKind.Required, null),
                _ => (ToolChoiceKind.Auto, null),
            };
        }

        return Str(choice, "type") == "function" && Str(choice, "name") is { } name ? (ToolChoiceKind.Named, name) : (ToolChoiceKind.Auto, null);
    }

    private static string TextOf(JsonElement item)
    {
        if (!item.TryGetProperty("content", out var content))
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        var sb = new StringBuilder();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (Str(part, "text") is { } text)
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('\n');
                    }

                    sb.Append(text);
                }
            }
        }

        return sb.ToString();
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
