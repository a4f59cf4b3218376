using System.Text.Json.Nodes;

namespace Tollgate.Dialects.Anthropic;

// Tool definitions and tool_choice.
public static partial class AnthropicRequestTranslator
{
    private static bool TranslateTool(JsonNode? node, int index, JsonArray tools, Context context)
    {
        var param = $"tools[{index}]";
        if (node is not JsonObject tool || (string?)tool["type"] != "function" || tool["function"] is not JsonObject function || (string?)function["name"] is not { } name)
        {
            return context.Fail(param, "Only tools of type 'function' with a name are supported.");
        }

        var translated = new JsonObject { ["name"] = name };
        if ((string?)function["description"] is { } description)
        {
            translated["description"] = description;
        }

        translated["input_schema"] = function["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        if ((tool["cache_control"] ?? function["cache_control"]) is JsonObject cacheControl)
        {
            translated["cache_control"] = cacheControl.DeepClone();
        }

        tools.Add((JsonNode)translated);
        return true;
    }

    private static bool TranslateToolChoice(JsonNode choice, out JsonObject? result, Context context)
    {
        result = null;
        if (choice is JsonValue value && value.TryGetValue<string>(out var mode))
        {
            result = mode switch
            {
                "auto" => new JsonObject { ["type"] = "auto" },
                "required" => new JsonObject { ["type"] = "any" },
                "none" => new JsonObject { ["type"] = "none" },
                _ => null,
            };
            return result is not null || context.Fail("tool_choice", $"Unknown tool_choice '{mode}'.");
        }

        if (choice is JsonObject named && (string?)named["function"]?["name"] is { } name)
        {
            result = new JsonObject { ["type"] = "tool", ["name"] = name };
            return true;
        }

        return context.Fail("tool_choice", "tool_choice must be 'auto', 'required', 'none' or {type:'function', function:{name}}.");
    }
}
