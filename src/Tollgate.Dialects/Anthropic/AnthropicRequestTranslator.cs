using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Anthropic;

/// <summary>
/// Translates an OpenAI chat completions request into an Anthropic Messages request.
/// </summary>
/// <remarks>
/// <para>Conventions beyond OpenAI's own shape, chosen so clients can send Anthropic-only data back unchanged:</para>
/// <list type="bullet">
/// <item>Thinking blocks travel on assistant messages as <c>thinking_blocks: [{type:"thinking", thinking, signature}]</c>
/// (or <c>{type:"redacted_thinking", data}</c>), as the response translators write them; they are restored as the
/// first content blocks of that turn, which Anthropic requires when tools are used with thinking. A bare
/// <c>reasoning_content</c> without a signature cannot be verified by Anthropic and is not sent.</item>
/// <item><c>response_format</c> json_schema (or json_object) is honoured with a tool named
/// <see cref="AnthropicTranslateOptions.JsonToolName"/> whose <c>input_schema</c> is the schema, forced through
/// <c>tool_choice</c>. This works on every Claude model (the newer <c>output_format</c> field needs a beta header
/// and recent models); the response translators turn that tool's input back into message content. When the client
/// also sends its own tools, or thinking is on (Anthropic refuses a forced tool with thinking), the choice stays
/// <c>auto</c>.</item>
/// <item><c>cache_control</c> on content parts, tools and (for string content) messages is passed through.</item>
/// <item>OpenAI's temperature range is 0..2, Anthropic's 0..1: values above 1 are clamped.</item>
/// </list>
/// </remarks>
public static partial class AnthropicRequestTranslator
{
    /// <summary>The default name of the tool that carries a <c>response_format</c> schema.</summary>
    public const string DefaultJsonToolName = "json_response";

    /// <summary>Parameters that need no translation (they only affect OpenAI-side behaviour handled elsewhere).</summary>
    private static readonly HashSet<string> Handled =
    [
        "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "stop", "stream",
        "stream_options", "tools", "tool_choice", "parallel_tool_calls", "reasoning_effort", "response_format", "user",
        "thinking", "store",
    ];

    /// <summary>
    /// Translates <paramref name="openAIChatRequestJson"/>. Expected failures (malformed or untranslatable input)
    /// come back as <see cref="AnthropicTranslateResult.Error"/>, never as exceptions.
    /// </summary>
    /// <param name="openAIChatRequestJson">The client's request body.</param>
    /// <param name="options">Upstream model name and defaults.</param>
    /// <returns>The Anthropic body, or the reason for a 400.</returns>
    public static AnthropicTranslateResult Translate(ReadOnlySpan<byte> openAIChatRequestJson, AnthropicTranslateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        JsonObject request;
        try
        {
            if (JsonNode.Parse(openAIChatRequestJson) is not JsonObject parsed)
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
            return Translate(request, options);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A value of the wrong JSON type somewhere (a number where a string belongs): the client's mistake.
            return AnthropicTranslateResult.Failure("body", "A field has a value of the wrong type: " + e.Message);
        }
    }

    private static AnthropicTranslateResult Translate(JsonObject request, AnthropicTranslateOptions options)
    {
        var context = new Context();
        var unsupported = new List<string>();
        var output = new JsonObject { ["model"] = options.Model };

        // Parameters Anthropic cannot honour. Defaults that change nothing (n=1, logprobs=false, penalties 0) are not reported.
        foreach (var (name, value) in request)
        {
            if (Handled.Contains(name) || IsDefault(name, value))
            {
                continue;
            }

            unsupported.Add(name);
        }

        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return AnthropicTranslateResult.Failure("messages", "'messages' must be a non-empty array.");
        }

        // Token limits first: thinking may need to raise them.
        if (!TryGetInt(request, "max_completion_tokens", context, out var maxTokens) || !TryGetInt(request, "max_tokens", context, out var legacyMax))
        {
            return context.Result();
        }

        var max = maxTokens ?? legacyMax ?? options.DefaultMaxTokens;
        if (max <= 0)
        {
            return AnthropicTranslateResult.Failure(maxTokens is null ? "max_tokens" : "max_completion_tokens", "The token limit must be positive.");
        }

        int? budget = null;
        JsonNode? thinking = null;
        if (request["thinking"] is JsonObject clientThinking)
        {
            thinking = clientThinking.DeepClone();
            if (clientThinking["budget_tokens"] is JsonValue b && b.TryGetValue<int>(out var clientBudget))
            {
                budget = clientBudget;
            }
        }
        else if (request["reasoning_effort"] is JsonValue effortValue && effortValue.TryGetValue<string>(out var effort))
        {
            budget = effort switch
            {
                "minimal" or "low" => options.LowThinkingBudget,
                "medium" => options.MediumThinkingBudget,
                "high" or "xhigh" => options.HighThinkingBudget,
                "none" => null,
                _ => -1,
            };
            if (budget == -1)
            {
                return AnthropicTranslateResult.Failure("reasoning_effort", $"Unknown reasoning_effort '{effort}'.");
            }

            if (budget is { } bt)
            {
                thinking = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = bt };
            }
        }

        if (budget is { } thinkingBudget && max <= thinkingBudget)
        {
            // Anthropic counts thinking inside max_tokens and requires max_tokens > budget_tokens:
            // keep the client's allowance for the visible answer on top of the budget.
            max = thinkingBudget + max;
            if (options.MaxOutputTokens is { } ceiling && max > ceiling)
            {
                max = ceiling;
            }
        }

        output["max_tokens"] = max;

        var system = new JsonArray();
        var anthropicMessages = new JsonArray();
        for (var i = 0; i < messages.Count; i++)
        {
            if (!TranslateMessage(messages[i], i, system, anthropicMessages, context))
            {
                return context.Result();
            }
        }

        if (system.Count > 0)
        {
            output["system"] = system;
        }

        output["messages"] = anthropicMessages;

        var thinkingOn = thinking is not null && (string?)thinking["type"] != "disabled";
        string? jsonTool = null;
        var tools = new JsonArray();
        if (request["tools"] is JsonArray clientTools)
        {
            for (var i = 0; i < clientTools.Count; i++)
            {
                if (!TranslateTool(clientTools[i], i, tools, context))
                {
                    return context.Result();
                }
            }
        }

        JsonObject? toolChoice = null;
        if (request["tool_choice"] is { } choice && !TranslateToolChoice(choice, out toolChoice, context))
        {
            return context.Result();
        }

        if (request["response_format"] is JsonObject format)
        {
            var formatType = (string?)format["type"];
            JsonNode? schema = formatType switch
            {
                "json_schema" => format["json_schema"]?["schema"]?.DeepClone() ?? new JsonObject { ["type"] = "object" },
                "json_object" => new JsonObject { ["type"] = "object" },
                "text" or null => null,
                _ => null,
            };
            if (formatType is not ("json_schema" or "json_object" or "text" or null))
            {
                return AnthropicTranslateResult.Failure("response_format.type", $"Unsupported response_format type '{formatType}'.");
            }

            if (schema is not null)
            {
                jsonTool = options.JsonToolName;
                var description = (string?)format["json_schema"]?["description"] ?? "Respond by calling this tool with the final answer as its input. It must match the schema.";
                tools.Add((JsonNode)new JsonObject { ["name"] = jsonTool, ["description"] = description, ["input_schema"] = schema });
                if (tools.Count == 1 && !thinkingOn)
                {
                    toolChoice = new JsonObject { ["type"] = "tool", ["name"] = jsonTool };
                }
            }
        }

        if (thinkingOn && (string?)toolChoice?["type"] is "any" or "tool")
        {
            // Anthropic refuses a forced tool with thinking: let the model choose, and say so.
            toolChoice = new JsonObject { ["type"] = "auto" };
            unsupported.Add("tool_choice");
        }

        if (request["parallel_tool_calls"] is JsonValue parallel && parallel.TryGetValue<bool>(out var allowParallel) && !allowParallel && tools.Count > 0)
        {
            toolChoice ??= new JsonObject { ["type"] = "auto" };
            if ((string?)toolChoice["type"] != "none")
            {
                toolChoice["disable_parallel_tool_use"] = true;
            }
        }

        if (tools.Count > 0)
        {
            output["tools"] = tools;
        }

        if (toolChoice is not null && (tools.Count > 0 || (string?)toolChoice["type"] == "none"))
        {
            output["tool_choice"] = toolChoice;
        }

        switch (request["stop"])
        {
            case JsonValue stopValue when stopValue.TryGetValue<string>(out var stop):
                output["stop_sequences"] = new JsonArray(stop);
                break;
            case JsonArray stops when stops.Count > 0:
                output["stop_sequences"] = stops.DeepClone();
                break;
        }

        if (request["temperature"] is JsonValue temperatureValue && temperatureValue.TryGetValue<double>(out var temperature))
        {
            if (thinkingOn)
            {
                // Anthropic rejects a temperature other than 1 with thinking.
                unsupported.Add("temperature");
            }
            else
            {
                output["temperature"] = Math.Min(temperature, 1.0);
            }
        }

        if (request["top_p"] is JsonValue topPValue && topPValue.TryGetValue<double>(out var topP))
        {
            if (thinkingOn && topP < 0.95)
            {
                unsupported.Add("top_p");
            }
            else
            {
                output["top_p"] = topP;
            }
        }

        if (request["top_k"] is JsonValue topKValue && topKValue.TryGetValue<int>(out var topK))
        {
            output["top_k"] = topK;
        }

        if (thinking is not null)
        {
            output["thinking"] = thinking;
        }

        if (request["user"] is JsonValue userValue && userValue.TryGetValue<string>(out var user))
        {
            output["metadata"] = new JsonObject { ["user_id"] = user };
        }

        var stream = request["stream"] is JsonValue streamValue && streamValue.TryGetValue<bool>(out var s) && s;
        if (stream)
        {
            output["stream"] = true;
        }

        var includeUsage = request["stream_options"]?["include_usage"] is JsonValue iu && iu.TryGetValue<bool>(out var inc) && inc;
        var body = NodeJson.Utf8(output);
        return AnthropicTranslateResult.Success(body, unsupported, stream, includeUsage, jsonTool);
    }

    private static bool IsDefault(string name, JsonNode? value)
    {
        if (value is null)
        {
            return true;
        }

        if (value is not JsonValue v)
        {
            return false;
        }

        return name switch
        {
            "n" => v.TryGetValue<int>(out var n) && n == 1,
            "logprobs" => v.TryGetValue<bool>(out var l) && !l,
            "presence_penalty" or "frequency_penalty" => v.TryGetValue<double>(out var p) && p == 0,
            _ => false,
        };
    }

    private static bool TryGetInt(JsonObject request, string name, Context context, out int? value)
    {
        value = null;
        var node = request[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue<int>(out var i))
        {
            value = i;
            return true;
        }

        return context.Fail(name, $"'{name}' must be an integer.");
    }

    /// <summary>Carries the first failure out of the nested translation steps.</summary>
    private sealed class Context
    {
        private string _param = "body";
        private string _message = "Invalid request.";

        public bool Fail(string param, string message)
        {
            _param = param;
            _message = message;
            return false;
        }

        public AnthropicTranslateResult Result() => AnthropicTranslateResult.Failure(_param, _message);
    }
}
