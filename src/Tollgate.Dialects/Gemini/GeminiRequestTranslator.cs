using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Translates an OpenAI <c>/v1/chat/completions</c> request body into a Gemini <c>GenerateContentRequest</c>.
/// </summary>
/// <remarks>
/// <para>Messages: system and developer messages become <c>systemInstruction</c> (wherever they appear); user
/// becomes <c>user</c> and assistant <c>model</c>; tool (and legacy function) results become
/// <c>functionResponse</c> parts in a <c>user</c> turn, the function name found from the earlier tool call with the
/// same id; consecutive turns of one role are merged, as Gemini requires strictly alternating turns.</para>
/// <para>Thought signatures: an assistant tool call's signature is read from
/// <c>extra_content.google.thought_signature</c> (Google's own OpenAI-compatible convention) or, failing that,
/// from the tool call id (see <see cref="GeminiResponseTranslator"/>), and restored as <c>thoughtSignature</c> on
/// the <c>functionCall</c> part. <c>extra_content.google.thought_signature</c> on the assistant message itself goes
/// on its last text part.</para>
/// <para><c>reasoning_effort</c> to <c>thinkingConfig.thinkingBudget</c> (Google's own mapping for its
/// OpenAI-compatible layer, with <c>minimal</c> added): none 0, minimal 512, low 1024, medium 8192, high 24576;
/// <c>includeThoughts</c> is set so thought summaries come back as <c>reasoning_content</c>.</para>
/// </remarks>
public static partial class GeminiRequestTranslator
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        // No effect on the answer, so dropping them is not worth reporting.
        "model", "stream", "stream_options", "user", "metadata", "store", "safety_identifier", "prompt_cache_key",
    };

    private static readonly HashSet<string> Handled = new(StringComparer.Ordinal)
    {
        "messages", "tools", "tool_choice", "temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "n",
        "seed", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "response_format",
        "reasoning_effort", "parallel_tool_calls",
    };

    /// <summary>Translates <paramref name="openAIChatRequestJson"/>; client mistakes come back as an error value.</summary>
    public static GeminiRequestTranslation Translate(ReadOnlySpan<byte> openAIChatRequestJson, GeminiTranslateOptions? options = null)
    {
        options ??= GeminiTranslateOptions.Default;
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(openAIChatRequestJson.ToArray()) as JsonObject;
        }
        catch (JsonException ex)
        {
            return Fail(null, "The request body is not valid JSON: " + ex.Message);
        }

        if (root is null)
        {
            return Fail(null, "The request body must be a JSON object.");
        }

        var builder = new Builder(root, options);
        var error = builder.Build();
        if (error is not null)
        {
            return new GeminiRequestTranslation { Error = error };
        }

        if (options.RejectUnsupported && builder.Unsupported.Count > 0)
        {
            var p = builder.Unsupported[0];
            return Fail(p, $"The parameter '{p}' is not supported by Gemini models.");
        }

        return new GeminiRequestTranslation
        {
            Body = NodeJson.Utf8(builder.Output, GeminiJson.Serializer),
            Stream = root["stream"] is JsonValue s && s.TryGetValue<bool>(out var stream) && stream,
            Model = root["model"] is JsonValue m && m.TryGetValue<string>(out var model) ? model : null,
            UnsupportedParameters = builder.Unsupported,
        };
    }

    private static GeminiRequestTranslation Fail(string? param, string message) =>
        new() { Error = new GeminiTranslationError(param, message) };

    private sealed partial class Builder(JsonObject root, GeminiTranslateOptions options)
    {
        public JsonObject Output { get; } = new();

        public List<string> Unsupported { get; } = [];

        private readonly JsonArray _contents = [];
        private readonly JsonArray _systemParts = [];
        private readonly JsonObject _generation = new();

        public GeminiTranslationError? Build()
        {
            foreach (var (key, value) in root)
            {
                if (value is null || Ignored.Contains(key))
                {
                    continue;
                }

                if (!Handled.Contains(key))
                {
                    Unsupported.Add(key);
                }
            }

            if (root["parallel_tool_calls"] is JsonValue ptc && ptc.TryGetValue<bool>(out var parallel) && !parallel)
            {
                // Gemini decides on parallel calls itself; it cannot be told not to.
                Unsupported.Add("parallel_tool_calls");
            }

            var error = TranslateMessages() ?? TranslateTools() ?? TranslateToolChoice() ?? TranslateGeneration();
            if (error is not null)
            {
                return error;
            }

            if (_systemParts.Count > 0)
            {
                Output["systemInstruction"] = new JsonObject { ["parts"] = _systemParts };
            }

            Output["contents"] = _contents;
            if (_generation.Count > 0)
            {
                Output["generationConfig"] = _generation;
            }

            // Move tools after contents for readable bodies; order has no meaning to the API.
            if (Output["tools"] is { } tools)
            {
                Output.Remove("tools");
                Output["tools"] = tools;
            }

            if (Output["toolConfig"] is { } toolConfig)
            {
                Output.Remove("toolConfig");
                Output["toolConfig"] = toolConfig;
            }

            return null;
        }

        private GeminiTranslationError? TranslateTools()
        {
            if (root["tools"] is not { } toolsNode)
            {
                return null;
            }

            if (toolsNode is not JsonArray tools)
            {
                return new("tools", "'tools' must be an array.");
            }

            var declarations = new JsonArray();
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonObject tool || Str(tool["type"]) is not ("function" or null) || tool["function"] is not JsonObject fn)
                {
                    return new($"tools[{i}]", "Only tools of type 'function' are supported for Gemini models.");
                }

                if (Str(fn["name"]) is not { Length: > 0 } name)
                {
                    return new($"tools[{i}].function.name", "A function tool needs a name.");
                }

                var decl = new JsonObject { ["name"] = name };
                if (Str(fn["description"]) is { } description)
                {
                    decl["description"] = description;
                }

                if (fn["parameters"] is JsonObject parameters && HasProperties(parameters))
                {
                    if (options.UseJsonSchema)
                    {
                        decl["parametersJsonSchema"] = parameters.DeepClone();
                    }
                    else
                    {
                        decl["parameters"] = GeminiSchemaCleaner.Clean(parameters);
                    }
                }

                declarations.Add((JsonNode)decl);
            }

            if (declarations.Count > 0)
            {
                Output["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
            }

            return null;
        }

        private static bool HasProperties(JsonObject schema) =>
            schema["properties"] is JsonObject { Count: > 0 } || schema["$ref"] is not null || schema["anyOf"] is not null;

        private GeminiTranslationError? TranslateToolChoice()
        {
            var choice = root["tool_choice"];
            if (choice is null)
            {
                return null;
            }

            var config = new JsonObject();
            switch (choice)
            {
                case JsonValue v when v.TryGetValue<string>(out var mode):
                    config["mode"] = mode switch
                    {
                        "auto" => "AUTO",
                        "none" => "NONE",
                        "required" => "ANY",
                        _ => null,
                    };
                    if (config["mode"] is null)
                    {
                        return new("tool_choice", $"Unknown tool_choice '{mode}'.");
                    }

                    break;
                case JsonObject o when Str(o["type"]) == "function" && Str(At(o["function"], "name")) is { } name:
                    config["mode"] = "ANY";
                    config["allowedFunctionNames"] = new JsonArray(name);
                    break;
                default:
                    return new("tool_choice", "tool_choice must be 'auto', 'none', 'required' or a named function.");
            }

            Output["toolConfig"] = new JsonObject { ["functionCallingConfig"] = config };
            return null;
        }

        private GeminiTranslationError? TranslateGeneration()
        {
            CopyNumber("temperature", "temperature");
            CopyNumber("top_p", "topP");
            CopyNumber("seed", "seed");
            CopyNumber("presence_penalty", "presencePenalty");
            CopyNumber("frequency_penalty", "frequencyPenalty");
            CopyNumber("n", "candidateCount");
            CopyNumber("top_logprobs", "logprobs");
            if (!CopyNumber("max_completion_tokens", "maxOutputTokens"))
            {
                CopyNumber("max_tokens", "maxOutputTokens");
            }

            if (root["logprobs"] is JsonValue lp && lp.TryGetValue<bool>(out var logprobs) && logprobs)
            {
                _generation["responseLogprobs"] = true;
            }

            switch (root["stop"])
            {
                case JsonValue v when v.TryGetValue<string>(out var stop):
                    _generation["stopSequences"] = new JsonArray(stop);
                    break;
                case JsonArray a:
                    _generation["stopSequences"] = a.DeepClone();
                    break;
                case null:
                    break;
                default:
                    return new("stop", "'stop' must be a string or an array of strings.");
            }

            return TranslateResponseFormat() ?? TranslateReasoning();
        }

        private bool CopyNumber(string from, string to)
        {
            if (root[from] is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            {
                _generation[to] = v.DeepClone();
                return true;
            }

            return false;
        }

        private GeminiTranslationError? TranslateResponseFormat()
        {
            if (root["response_format"] is not JsonObject format)
            {
                return null;
            }

            switch (Str(format["type"]))
            {
                case "text" or null:
                    return null;
                case "json_object":
                    _generation["responseMimeType"] = "application/json";
                    return null;
                case "json_schema":
                    if (At(format["json_schema"], "schema") is not JsonObject schema)
                    {
                        return new("response_format.json_schema.schema", "A json_schema response format needs a schema.");
                    }

                    _generation["responseMimeType"] = "application/json";
                    if (options.UseJsonSchema)
                    {
                        _generation["responseJsonSchema"] = schema.DeepClone();
                    }
                    else
                    {
                        _generation["responseSchema"] = GeminiSchemaCleaner.Clean(schema, addPropertyOrdering: true);
                    }

                    return null;
                default:
                    return new("response_format.type", "response_format.type must be 'text', 'json_object' or 'json_schema'.");
            }
        }

        private GeminiTranslationError? TranslateReasoning()
        {
            if (Str(root["reasoning_effort"]) is not { } effort)
            {
                return null;
            }

            int budget = effort switch
            {
                "none" => 0,
                "minimal" => 512,
                "low" => 1024,
                "medium" => 8192,
                "high" => 24576,
                _ => -1,
            };
            if (budget < 0)
            {
                return new("reasoning_effort", $"Unknown reasoning_effort '{effort}'; use none, minimal, low, medium or high.");
            }

            _generation["thinkingConfig"] = budget == 0
                ? new JsonObject { ["thinkingBudget"] = 0 }
                : new JsonObject { ["thinkingBudget"] = budget, ["includeThoughts"] = true };
            return null;
        }

        private static JsonNode? At(JsonNode? node, string key) => (node as JsonObject)?[key];

        private static string? Str(JsonNode? node) =>
            node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }
}
