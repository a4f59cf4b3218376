using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>
/// Translates a Gemini <c>generateContent</c> request into an OpenAI chat request, so a Gemini client can reach an
/// upstream of any other dialect.
/// </summary>
/// <remarks>
/// The mirror of <see cref="GeminiRequestTranslator"/>: <c>systemInstruction</c> becomes a system message, a
/// <c>model</c> turn an assistant message (its <c>functionCall</c> parts <c>tool_calls</c>, thought parts with a
/// <c>thoughtSignature</c> Anthropic thinking blocks, other thought parts left out),
/// <c>functionResponse</c> parts <c>tool</c> messages ahead of the rest of their turn. Gemini's calls need not carry
/// ids: a call without one gets <c>call_N</c> in order, and a response without one answers the oldest open call of its
/// name. <c>functionDeclarations</c> become function tools (schema <c>type</c> names in lower case),
/// <c>toolConfig.functionCallingConfig</c> a <c>tool_choice</c>, <c>generationConfig</c> the sampling parameters,
/// <c>responseMimeType</c> JSON with <c>responseJsonSchema</c> / <c>responseSchema</c> a json_schema
/// <c>response_format</c>, <c>thinkingConfig</c> a <c>reasoning_effort</c> (<c>thinkingLevel</c> as it is; a budget up to
/// 1024 low, up to 8192 medium, above that high, dynamic (-1) medium, 0 none). Streams ask for <c>include_usage</c>.
/// </remarks>
public static class GeminiInboundRequestTranslator
{
    private static readonly HashSet<string> Handled = new(StringComparer.Ordinal)
    {
        "contents", "systemInstruction", "system_instruction", "tools", "toolConfig", "tool_config", "generationConfig", "generation_config", "model",
    };

    private static readonly HashSet<string> HandledConfig = new(StringComparer.Ordinal)
    {
        "temperature", "topP", "maxOutputTokens", "stopSequences", "candidateCount", "presencePenalty", "frequencyPenalty", "seed",
        "responseMimeType", "responseSchema", "responseJsonSchema", "thinkingConfig", "responseModalities",
    };

    /// <summary>Translates <paramref name="geminiRequestJson"/> into an OpenAI chat completions request for <paramref name="model"/>.</summary>
    public static GeminiInboundTranslation Translate(ReadOnlySpan<byte> geminiRequestJson, string model, bool stream)
    {
        if (GeminiInboundTranslation.ParseObject(geminiRequestJson, out var failure) is not { } request)
        {
            return failure!;
        }

        try
        {
            return Translate(request, model, stream);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A value of the wrong JSON type somewhere (a number where a string belongs): the client's mistake.
            return GeminiInboundTranslation.Failure(null, "A field has a value of the wrong type: " + e.Message);
        }
    }

    /// <summary>A <c>countTokens</c> request (its <c>generateContentRequest</c>, when it wraps one) as an OpenAI chat request.</summary>
    public static GeminiInboundTranslation TranslateCountTokens(ReadOnlySpan<byte> geminiRequestJson, string model)
    {
        try
        {
            if (JsonNode.Parse(geminiRequestJson) is JsonObject o
                && (o["generateContentRequest"] ?? o["generate_content_request"]) is JsonObject inner)
            {
                return Translate(NodeJson.Utf8(inner), model, stream: false);
            }
        }
        catch (JsonException)
        {
            return GeminiInboundTranslation.Failure(null, "The request body is not valid JSON.");
        }

        return Translate(geminiRequestJson, model, stream: false);
    }

    private static GeminiInboundTranslation Translate(JsonObject request, string model, bool stream)
    {
        var unsupported = new List<string>();
        foreach (var (name, value) in request)
        {
            if (value is not null && !Handled.Contains(name))
            {
                unsupported.Add(name);
            }
        }

        if (request["contents"] is not JsonArray contents || contents.Count == 0)
        {
            return GeminiInboundTranslation.Failure("contents", "contents is not specified (a non-empty array of Content).");
        }

        var output = new JsonObject { ["model"] = model };
        var messages = new JsonArray();
        if (Get(request, "systemInstruction", "system_instruction") is JsonObject system && Text(system) is { Length: > 0 } systemText)
        {
            messages.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = systemText });
        }

        var calls = new CallIds();
        foreach (var node in contents)
        {
            if (node is not JsonObject content)
            {
                return GeminiInboundTranslation.Failure("contents", "Each element of contents must be a Content object.");
            }

            var error = content["role"]?.GetValue<string>() == "model"
                ? AddModelTurn(content, messages, calls)
                : AddUserTurn(content, messages, calls);
            if (error is not null)
            {
                return GeminiInboundTranslation.Failure("contents", error);
            }
        }

        output["messages"] = messages;
        if (request["tools"] is JsonArray tools && AddTools(tools, output, unsupported) is { } toolError)
        {
            return GeminiInboundTranslation.Failure("tools", toolError);
        }

        if (Get(request, "toolConfig", "tool_config") is JsonObject toolConfig && Get(toolConfig, "functionCallingConfig", "function_calling_config") is JsonObject calling)
        {
            AddToolChoice(calling, output);
        }

        if (Get(request, "generationConfig", "generation_config") is JsonObject config)
        {
            AddGenerationConfig(config, output, unsupported);
        }

        if (stream)
        {
            output["stream"] = true;
            output["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return new GeminiInboundTranslation(NodeJson.Utf8(output), unsupported);
    }

    private static string? AddUserTurn(JsonObject content, JsonArray messages, CallIds calls)
    {
        var parts = new JsonArray();
        foreach (var node in Parts(content))
        {
            if (node is not JsonObject part)
            {
                continue;
            }

            if (Get(part, "functionResponse", "function_response") is JsonObject response)
            {
                var name = response["name"]?.GetValue<string>() ?? "";
                var result = response["response"] ?? new JsonObject();
                messages.Add((JsonNode)new JsonObject
                {
                    ["role"] = "tool",
                    ["tool_call_id"] = calls.Answer(response["id"]?.GetValue<string>(), name),
                    ["content"] = result is JsonValue v && v.TryGetValue<string>(out var s) ? s : result.ToJsonString(),
                });
            }
            else if (part["text"] is JsonValue text)
            {
                parts.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = text.GetValue<string>() });
            }
            else if (Get(part, "inlineData", "inline_data") is JsonObject inline)
            {
                var mime = Get(inline, "mimeType", "mime_type")?.GetValue<string>() ?? "";
                if (!mime.StartsWith("image/", StringComparison.Ordinal))
                {
                    return $"inlineData of type '{mime}' cannot be translated for this provider (only images can).";
                }

                parts.Add((JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:{mime};base64,{inline["data"]?.GetValue<string>()}" } });
            }
            else if (Get(part, "fileData", "file_data") is JsonObject file)
            {
                var uri = Get(file, "fileUri", "file_uri")?.GetValue<string>() ?? "";
                if (!uri.StartsWith("http://", StringComparison.Ordinal) && !uri.StartsWith("https://", StringComparison.Ordinal))
                {
                    return $"fileData '{uri}' cannot be translated for this provider (only http(s) image URLs can).";
                }

                parts.Add((JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = uri } });
            }
        }

        if (parts.Count > 0)
        {
            // Text alone stays a plain string, which every upstream reads.
            var allText = parts.All(p => p!["type"]!.GetValue<string>() == "text");
            messages.Add((JsonNode)new JsonObject
            {
                ["role"] = "user",
                ["content"] = allText ? string.Join("\n", parts.Select(p => p!["text"]!.GetValue<string>())) : parts,
            });
        }

        return null;
    }

    private static string? AddModelTurn(JsonObject content, JsonArray messages, CallIds calls)
    {
        var text = new List<string>();
        var toolCalls = new JsonArray();
        var thinking = new ThinkingBlocks();
        foreach (var node in Parts(content))
        {
            if (node is not JsonObject part)
            {
                continue;
            }

            if (Get(part, "functionCall", "function_call") is JsonObject call)
            {
                var name = call["name"]?.GetValue<string>() ?? "";
                toolCalls.Add((JsonNode)new JsonObject
                {
                    ["id"] = calls.Call(call["id"]?.GetValue<string>(), name),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = (call["args"] ?? new JsonObject()).ToJsonString() },
                });
            }
            else if (part["thought"]?.GetValue<bool>() == true)
            {
                thinking.Add(part["text"]?.GetValue<string>(), Get(part, "thoughtSignature", "thought_signature")?.GetValue<string>());
            }
            else if (part["text"] is JsonValue value)
            {
                text.Add(value.GetValue<string>());
            }
        }

        if (text.Count == 0 && toolCalls.Count == 0 && thinking.Blocks.Count == 0)
        {
            return null;
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Count > 0 ? string.Concat(text) : null };
        if (thinking.Blocks.Count > 0)
        {
            message["reasoning_content"] = thinking.Text;
            message["thinking_blocks"] = thinking.Blocks;
        }

        if (toolCalls.Count > 0)
        {
            message["tool_calls"] = toolCalls;
        }

        messages.Add((JsonNode)message);
        return null;
    }

    private static string? AddTools(JsonArray tools, JsonObject output, List<string> unsupported)
    {
        var functions = new JsonArray();
        foreach (var node in tools)
        {
            if (node is not JsonObject tool)
            {
                return "Each element of tools must be a Tool object.";
            }

            foreach (var (kind, value) in tool)
            {
                if (kind is not ("functionDeclarations" or "function_declarations"))
                {
                    unsupported.Add("tools." + kind);
                    continue;
                }

                foreach (var declaration in value as JsonArray ?? [])
                {
                    if (declaration is not JsonObject d || d["name"]?.GetValue<string>() is not { Length: > 0 } name)
                    {
                        return "Each function declaration needs a name.";
                    }

                    var function = new JsonObject { ["name"] = name };
                    if (d["description"]?.GetValue<string>() is { } description)
                    {
                        function["description"] = description;
                    }

                    var parameters = Get(d, "parametersJsonSchema", "parameters_json_schema") ?? d["parameters"];
                    function["parameters"] = parameters is JsonObject p ? Schema(p) : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
                    functions.Add((JsonNode)new JsonObject { ["type"] = "function", ["function"] = function });
                }
            }
        }

        if (functions.Count > 0)
        {
            output["tools"] = functions;
        }

        return null;
    }

    private static void AddToolChoice(JsonObject calling, JsonObject output)
    {
        var mode = calling["mode"]?.GetValue<string>();
        var allowed = Get(calling, "allowedFunctionNames", "allowed_function_names") as JsonArray;
        output["tool_choice"] = mode switch
        {
            "NONE" => "none",
            "ANY" when allowed is { Count: 1 } => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = allowed[0]!.GetValue<string>() } },
            "ANY" => "required",
            _ => "auto",
        };
    }

    private static void AddGenerationConfig(JsonObject config, JsonObject output, List<string> unsupported)
    {
        foreach (var (name, value) in config)
        {
            if (value is not null && !HandledConfig.Contains(name) && name != "maxOutputTokens")
            {
                unsupported.Add("generationConfig." + name);
            }
        }

        Copy(config, "temperature", output, "temperature");
        Copy(config, "topP", output, "top_p");
        Copy(config, "maxOutputTokens", output, "max_tokens");
        Copy(config, "presencePenalty", output, "presence_penalty");
        Copy(config, "frequencyPenalty", output, "frequency_penalty");
        Copy(config, "seed", output, "seed");
        if (config["candidateCount"] is JsonValue count && count.GetValue<int>() > 1)
        {
            output["n"] = count.GetValue<int>();
        }

        if (config["stopSequences"] is JsonArray stops && stops.Count > 0)
        {
            output["stop"] = stops.DeepClone();
        }

        if (config["responseMimeType"]?.GetValue<string>() == "application/json")
        {
            var schema = config["responseJsonSchema"] ?? config["responseSchema"];
            output["response_format"] = schema is JsonObject s
                ? new JsonObject { ["type"] = "json_schema", ["json_schema"] = new JsonObject { ["name"] = "response", ["schema"] = Schema(s) } }
                : new JsonObject { ["type"] = "json_object" };
        }

        if (config["thinkingConfig"] is JsonObject thinking)
        {
            if (thinking["thinkingLevel"]?.GetValue<string>() is { } level)
            {
                output["reasoning_effort"] = level.ToLowerInvariant();
            }
            else if (thinking["thinkingBudget"] is JsonValue b && b.GetValue<int>() is var budget && budget != 0)
            {
                output["reasoning_effort"] = budget < 0 ? "medium" : budget <= 1024 ? "low" : budget <= 8192 ? "medium" : "high";
            }
        }
    }

    /// <summary>Gemini's OpenAPI-style schema as JSON Schema: type names in lower case, Gemini's ordering hint left out.</summary>
    private static JsonObject Schema(JsonObject schema)
    {
        var copy = (JsonObject)schema.DeepClone();
        Lower(copy);
        return copy;

        static void Lower(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    o.Remove("propertyOrdering");
                    if (o["type"] is JsonValue t && t.TryGetValue<string>(out var type))
                    {
                        o["type"] = type.ToLowerInvariant();
                    }

                    foreach (var (_, child) in o.ToList())
                    {
                        Lower(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Lower(child);
                    }

                    break;
            }
        }
    }

    private static void Copy(JsonObject from, string name, JsonObject to, string openAIName)
    {
        if (from[name] is JsonValue value)
        {
            to[openAIName] = value.DeepClone();
        }
    }

    private static JsonArray Parts(JsonObject content) => content["parts"] as JsonArray ?? [];

    /// <summary>The text parts of a Content, joined (a system instruction).</summary>
    private static string Text(JsonObject content) =>
        string.Join("\n", Parts(content).OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>()).Where(t => t is not null));

    /// <summary>Gemini's JSON takes camelCase and snake_case names alike.</summary>
    private static JsonNode? Get(JsonObject o, string camel, string snake) => o[camel] ?? o[snake];

    /// <summary>
    /// Thought parts back as Anthropic's thinking blocks: a part's <c>thoughtSignature</c> closes a block of the thought
    /// text since the last one (streams send the text in pieces and the signature last). Thoughts without a signature
    /// are summaries no provider can take back, and are left out.
    /// </summary>
    private sealed class ThinkingBlocks
    {
        private readonly System.Text.StringBuilder _pending = new();
        private readonly System.Text.StringBuilder _all = new();

        public JsonArray Blocks { get; } = [];

        public string Text => _all.ToString();

        public void Add(string? text, string? signature)
        {
            _pending.Append(text);
            if (string.IsNullOrEmpty(signature))
            {
                return;
            }

            if (signature.StartsWith(GeminiInboundShapes.RedactedPrefix, StringComparison.Ordinal))
            {
                Blocks.Add((JsonNode)new JsonObject { ["type"] = "redacted_thinking", ["data"] = signature[GeminiInboundShapes.RedactedPrefix.Length..] });
            }
            else
            {
                Blocks.Add((JsonNode)new JsonObject { ["type"] = "thinking", ["thinking"] = _pending.ToString(), ["signature"] = signature });
                _all.Append(_pending);
            }

            _pending.Clear();
        }
    }

    /// <summary>Ids for calls that have none, and which open call each response answers.</summary>
    private sealed class CallIds
    {
        private readonly List<(string Id, string Name)> _open = [];
        private int _next;

        public string Call(string? id, string name)
        {
            id ??= "call_" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _open.Add((id, name));
            return id;
        }

        public string Answer(string? id, string name)
        {
            var i = id is not null ? _open.FindIndex(c => c.Id == id) : -1;
            if (i < 0)
            {
                i = _open.FindIndex(c => c.Name == name);
            }

            if (i < 0)
            {
                return id ?? "call_" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var answered = _open[i].Id;
            _open.RemoveAt(i);
            return answered;
        }
    }
}
