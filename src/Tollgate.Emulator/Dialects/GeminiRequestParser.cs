using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Dialects;

/// <summary>Reads a Gemini <c>generateContent</c> request into the engine's <see cref="ChatRequest"/>, validated as Gemini validates it.</summary>
internal static class GeminiRequestParser
{
    // Proto JSON accepts both spellings; anything else is "Unknown name" (the emulator knob field excepted).
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "contents", "systemInstruction", "system_instruction", "tools", "toolConfig", "tool_config", "generationConfig",
        "generation_config", "safetySettings", "safety_settings", "cachedContent", "cached_content", "labels", "model",
        BodyKnobs.PropertyName,
    };

    /// <summary>The model named by a <c>.../models/{model}:generateContent</c> path.</summary>
    public static string ModelFromPath(string path)
    {
        var start = path.LastIndexOf("/models/", StringComparison.Ordinal);
        var name = start < 0 ? path : path[(start + "/models/".Length)..];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return Uri.UnescapeDataString(colon < 0 ? name : name[..colon]);
    }

    public static ChatRequest? Parse(JsonElement root, string model, bool stream, out EmulatorError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = EmulatorError.InvalidRequest("Invalid JSON payload received. Expected an object.");
            return null;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                error = EmulatorError.InvalidRequest($"Invalid JSON payload received. Unknown name \"{property.Name}\": Cannot find field.", property.Name);
                return null;
            }
        }

        if (!root.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array || contents.GetArrayLength() == 0)
        {
            error = EmulatorError.InvalidRequest("* GenerateContentRequest.contents: contents is not specified", "contents");
            return null;
        }

        long promptTokens = TokenEstimate.ReplyPriming;
        if (Get(root, "systemInstruction", "system_instruction") is { } system)
        {
            promptTokens += TokenEstimate.FromChars(TextOf(system, out _).Length);
        }

        // Gemini 3 checks thought signatures on replayed function calls; thinkingConfig turns them on for 2.5 too.
        var requiresSignatures = model.StartsWith("gemini-3", StringComparison.Ordinal);
        var thinking = requiresSignatures
            || (Get(root, "generationConfig", "generation_config") is { ValueKind: JsonValueKind.Object } gc
                && Get(gc, "thinkingConfig", "thinking_config") is { ValueKind: JsonValueKind.Object } tc
                && !(Get(tc, "thinkingBudget", "thinking_budget") is { ValueKind: JsonValueKind.Number } budget && budget.GetInt32() == 0));
        string? lastUserText = null;
        var endsWithUser = false;
        var index = 0;
        foreach (var content in contents.EnumerateArray())
        {
            var role = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("role", out var r) ? r.GetString() : "user";
            if (role is not ("user" or "model"))
            {
                error = EmulatorError.InvalidRequest("Please use a valid role: user, model.", $"contents[{index}].role");
                return null;
            }

            if (!content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
            {
                error = EmulatorError.InvalidRequest($"* GenerateContentRequest.contents[{index}].parts: contents.parts must not be empty.", $"contents[{index}].parts");
                return null;
            }

            if (CheckMediaParts(parts, index) is { } mediaError)
            {
                error = mediaError;
                return null;
            }

            if (role == "model" && CheckSignatures(parts, index, requiresSignatures) is { } signatureError)
            {
                error = signatureError;
                return null;
            }

            var text = TextOf(content, out var hasFunctionResponse);
            promptTokens += TokenEstimate.PerMessage + TokenEstimate.FromChars(text.Length);
            endsWithUser = role == "user" && !hasFunctionResponse;
            if (role == "user" && !hasFunctionResponse)
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
        if (root.TryGetProperty("tools", out var toolsElement) && toolsElement.ValueKind == JsonValueKind.Array)
        {
            promptTokens += TokenEstimate.FromChars(toolsElement.GetRawText().Length);
            foreach (var tool in toolsElement.EnumerateArray())
            {
                if (Get(tool, "functionDeclarations", "function_declarations") is not { ValueKind: JsonValueKind.Array } declarations)
                {
                    continue;
                }

                foreach (var declaration in declarations.EnumerateArray())
                {
                    if (!declaration.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    {
                        error = EmulatorError.InvalidRequest("* GenerateContentRequest.tools[0].function_declarations[0].name: Name cannot be empty.", "tools");
                        return null;
                    }

                    var schema = Get(declaration, "parameters", "parametersJsonSchema") ?? Get(declaration, "parameters_json_schema", "parameters_json_schema");
                    tools.Add(new ToolDefinition(name.GetString()!, ToolArguments.Build(schema)));
                }
            }
        }

        int? maxTokens = null;
        string? structured = null;
        if (Get(root, "generationConfig", "generation_config") is { ValueKind: JsonValueKind.Object } generation
            && (Get(generation, "responseSchema", "response_schema") ?? Get(generation, "responseJsonSchema", "response_json_schema")) is { ValueKind: JsonValueKind.Object } responseSchema)
        {
            // Gemini answers such a request with JSON matching the schema, as its text.
            structured = ToolArguments.Build(responseSchema);
        }

        if (Get(root, "generationConfig", "generation_config") is { ValueKind: JsonValueKind.Object } config
            && Get(config, "maxOutputTokens", "max_output_tokens") is { } max && max.ValueKind != JsonValueKind.Null)
        {
            if (!max.TryGetInt32(out var value) || value < 1)
            {
                error = EmulatorError.InvalidRequest("* GenerateContentRequest.generation_config.max_output_tokens: must be positive.", "generationConfig.maxOutputTokens");
                return null;
            }

            maxTokens = value;
        }

        var (choice, choiceName) = ReadToolChoice(root);
        return new ChatRequest
        {
            Model = model,
            Stream = stream,
            IncludeUsage = true,
            MaxTokens = maxTokens,
            LastUserText = echoText,
            EndsWithUser = endsWithUser,
            PromptTokenEstimate = promptTokens,
            Tools = tools,
            ToolChoice = choice,
            ToolChoiceName = choiceName,
            StructuredReply = structured,
            Thinking = thinking,
            KnobPairs = pairs,
        };
    }

    // inlineData needs a mimeType and base64 data; fileData a fileUri.
    private static EmulatorError? CheckMediaParts(JsonElement parts, int index)
    {
        var j = 0;
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && Get(part, "inlineData", "inline_data") is { } inline)
            {
                var mime = Get(inline, "mimeType", "mime_type");
                var data = inline.ValueKind == JsonValueKind.Object && inline.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (mime is not { ValueKind: JsonValueKind.String } || data is null || !Convert.TryFromBase64String(data, new byte[(data.Length * 3 / 4) + 3], out _))
                {
                    return EmulatorError.InvalidRequest($"Invalid value at 'contents[{index}].parts[{j}].inline_data': mime_type and base64 data are required.", $"contents[{index}].parts[{j}]");
                }
            }

            if (part.ValueKind == JsonValueKind.Object && Get(part, "fileData", "file_data") is { } file && Get(file, "fileUri", "file_uri") is not { ValueKind: JsonValueKind.String })
            {
                return EmulatorError.InvalidRequest($"Invalid value at 'contents[{index}].parts[{j}].file_data': file_uri is required.", $"contents[{index}].parts[{j}]");
            }

            j++;
        }

        return null;
    }

    // A signature sent back must be the one issued; on Gemini 3 the first call of a turn must carry one.
    private static EmulatorError? CheckSignatures(JsonElement parts, int index, bool required)
    {
        var first = true;
        var position = 0;
        foreach (var part in parts.EnumerateArray())
        {
            position++;
            if (part.ValueKind != JsonValueKind.Object || Get(part, "functionCall", "function_call") is not { ValueKind: JsonValueKind.Object } call)
            {
                continue;
            }

            var name = call.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            var signature = Get(part, "thoughtSignature", "thought_signature") is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
            if (signature is null && required && first)
            {
                return EmulatorError.InvalidRequest(
                    $"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{name}` , position {position}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.",
                    $"contents[{index}].parts");
            }

            if (signature is not null && signature != EmulatorSignatures.SkipValidator && signature != EmulatorSignatures.FunctionCall(name))
            {
                return EmulatorError.InvalidRequest("Corrupted thought signature.", $"contents[{index}].parts");
            }

            first = false;
        }

        return null;
    }

    private static (ToolChoiceKind, string?) ReadToolChoice(JsonElement root)
    {
        if (Get(root, "toolConfig", "tool_config") is not { ValueKind: JsonValueKind.Object } config
            || Get(config, "functionCallingConfig", "function_calling_config") is not { ValueKind: JsonValueKind.Object } calling)
        {
            return (ToolChoiceKind.Auto, null);
        }

        var mode = calling.TryGetProperty("mode", out var m) ? m.GetString() : null;
        var allowed = Get(calling, "allowedFunctionNames", "allowed_function_names");
        return mode switch
        {
            "NONE" => (ToolChoiceKind.None, null),
            "ANY" when allowed is { ValueKind: JsonValueKind.Array } names && names.GetArrayLength() == 1 => (ToolChoiceKind.Named, names[0].GetString()),
            "ANY" => (ToolChoiceKind.Required, null),
            _ => (ToolChoiceKind.Auto, null),
        };
    }

    private static JsonElement? Get(JsonElement obj, string camel, string snake) =>
        obj.ValueKind != JsonValueKind.Object ? null
        : obj.TryGetProperty(camel, out var a) ? a
        : obj.TryGetProperty(snake, out var b) ? b
        : null;

    // Text parts count; a functionResponse part marks a tool-result turn.
    private static string TextOf(JsonElement content, out bool hasFunctionResponse)
    {
        hasFunctionResponse = false;
        if (!content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (part.TryGetProperty("functionResponse", out _) || part.TryGetProperty("function_response", out _))
            {
                hasFunctionResponse = true;
            }

            if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                && !(part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True))
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
