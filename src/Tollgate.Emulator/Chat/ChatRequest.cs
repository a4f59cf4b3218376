using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Chat;

/// <summary>What the emulator needs from a chat completion request, validated as OpenAI validates it.</summary>
internal sealed record ChatRequest
{
    public required string Model { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public int? MaxTokens { get; init; }

    /// <summary>Text of the last user message, directive lines removed.</summary>
    public required string LastUserText { get; init; }

    /// <summary>The last user message's text as sent, directive lines included (kept by the Responses state).</summary>
    public string? RawUserText { get; init; }

    /// <summary>Whether the conversation ends with a user turn (not a tool result or an assistant turn).</summary>
    public bool EndsWithUser { get; init; }

    public required long PromptTokenEstimate { get; init; }
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
    public ToolChoiceKind ToolChoice { get; init; }

    /// <summary>
    /// When the request asks for structured output with a schema (Gemini's <c>responseSchema</c>): the JSON the reply
    /// is, built from the schema as tool arguments are. Null answers with text.
    /// </summary>
    public string? StructuredReply { get; init; }

    /// <summary>Whether the request turned thinking on (Anthropic <c>thinking</c>, Gemini <c>thinkingConfig</c> or a Gemini 3 model): the answer carries signatures.</summary>
    public bool Thinking { get; init; }
    public string? ToolChoiceName { get; init; }

    /// <summary>Knob pairs, lowest precedence first: directive, then body field.</summary>
    public required List<KeyValuePair<string, string>> KnobPairs { get; init; }

    public static ChatRequest? Parse(JsonElement root, out EmulatorError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = EmulatorError.InvalidRequest("Invalid request body: expected a JSON object.");
            return null;
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
        {
            error = EmulatorError.InvalidRequest("you must provide a model parameter", "model", "missing_required_parameter");
            return null;
        }

        if (modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { Length: > 0 } model)
        {
            error = EmulatorError.InvalidRequest("Invalid type for 'model': expected a non-empty string.", "model", "invalid_type");
            return null;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            error = EmulatorError.InvalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
            return null;
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            error = EmulatorError.InvalidRequest(
                $"Invalid type for 'messages': expected an array of objects, but got {Describe(messages)} instead.", "messages", "invalid_type");
            return null;
        }

        if (messages.GetArrayLength() == 0)
        {
            error = EmulatorError.InvalidRequest(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
            return null;
        }

        long promptTokens = TokenEstimate.ReplyPriming;
        string? lastUserText = null;
        string? lastRole = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                error = EmulatorError.InvalidRequest(
                    $"Invalid type for 'messages[{index}]': expected an object, but got {Describe(message)} instead.", $"messages[{index}]", "invalid_type");
                return null;
            }

            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                error = EmulatorError.InvalidRequest(
                    $"Missing required parameter: 'messages[{index}].role'.", $"messages[{index}].role", "missing_required_parameter");
                return null;
            }

            var roleName = role.GetString();
            if (roleName is not ("system" or "developer"))
            {
                // Instructions appended after the user's turn (Claude Code's environment block) do not end the conversation.
                lastRole = roleName;
            }

            var text = TextOf(message);
            promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(text.Length);
            if (roleName == "user")
            {
                lastUserText = text;
            }

            index++;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        var echoText = Directive.Extract(lastUserText ?? "", pairs).Trim();
        if (BodyKnobs.Read(root, pairs) is { } knobError)
        {
            error = knobError;
            return null;
        }

        var tools = new List<ToolDefinition>();
        if (root.TryGetProperty("tools", out var toolsElement) && toolsElement.ValueKind != JsonValueKind.Null)
        {
            if (toolsElement.ValueKind != JsonValueKind.Array)
            {
                error = EmulatorError.InvalidRequest("Invalid type for 'tools': expected an array.", "tools", "invalid_type");
                return null;
            }

            promptTokens += TokenEstimate.FromChars(toolsElement.GetRawText().Length);
            foreach (var tool in toolsElement.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object
                    && tool.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                    && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    JsonElement? parameters = function.TryGetProperty("parameters", out var p) ? p : null;
                    tools.Add(new ToolDefinition(name.GetString()!, ToolArguments.Build(parameters)));
                }
            }
        }

        var (choice, choiceName) = ReadToolChoice(root);
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;

        int? maxTokens = null;
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var mt) && mt.ValueKind != JsonValueKind.Null)
            {
                if (!mt.TryGetInt32(out var value) || value < 1)
                {
                    error = EmulatorError.InvalidRequest($"Invalid '{name}': expected an integer >= 1.", name, "invalid_value");
                    return null;
                }

                maxTokens = value;
                break;
            }
        }

        // OpenAI answers a json_schema response_format with JSON matching the schema, as its content.
        string? structured = null;
        if (root.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object
            && format.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object
            && jsonSchema.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
        {
            structured = ToolArguments.Build(schema);
        }

        return new ChatRequest
        {
            Model = model,
            StructuredReply = structured,
            Stream = stream,
            IncludeUsage = stream && includeUsage,
            MaxTokens = maxTokens,
            LastUserText = echoText,
            EndsWithUser = lastRole == "user",
            PromptTokenEstimate = promptTokens,
            Tools = tools,
            ToolChoice = choice,
            ToolChoiceName = choiceName,
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

        if (choice.ValueKind == JsonValueKind.Object
            && choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return (ToolChoiceKind.Named, name.GetString());
        }

        return (ToolChoiceKind.Auto, null);
    }

    // Content is a string or an array of parts; only text parts count (images are not emulated).
    private static string TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
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

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };
}
