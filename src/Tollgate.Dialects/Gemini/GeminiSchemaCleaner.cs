using System.Text.Json.Nodes;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Reduces a JSON Schema to the OpenAPI 3.0 subset Gemini's <c>Schema</c> accepts (for <c>parameters</c> and
/// <c>responseSchema</c>), which rejects unknown keywords such as <c>additionalProperties</c>, <c>$schema</c>,
/// <c>$ref</c> and <c>const</c>.
/// </summary>
/// <remarks>
/// Kept: the fields of Gemini's Schema object. Rewritten: <c>type: [T, "null"]</c> to <c>type: T</c> +
/// <c>nullable</c>; several types to <c>anyOf</c>; <c>oneOf</c> to <c>anyOf</c>; <c>const</c> to a one-value
/// <c>enum</c>; local <c>$ref</c>s (<c>#/$defs/..</c>, <c>#/definitions/..</c>) inlined up to a fixed depth.
/// Everything else is dropped; <c>required</c> keeps only names that are in <c>properties</c>.
/// </remarks>
internal static class GeminiSchemaCleaner
{
    private const int MaxRefDepth = 8;

    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties",
        "required", "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf",
        "propertyOrdering", "default", "items", "minimum", "maximum",
    };

    public static JsonObject Clean(JsonNode? schema)
    {
        var root = schema as JsonObject;
        return root is null ? new JsonObject() : CleanObject(root, root, 0);
    }

    private static JsonObject CleanObject(JsonObject s, JsonObject root, int depth)
    {
        if (s["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference) && depth < MaxRefDepth)
        {
            var target = Resolve(root, reference);
            if (target is not null)
            {
                var resolved = CleanObject(target, root, depth + 1);
                if (s["description"] is JsonValue d && resolved["description"] is null)
                {
                    resolved["description"] = d.DeepClone();
                }

                return resolved;
            }
        }

        var result = new JsonObject();
        foreach (var (key, value) in s)
        {
            switch (key)
            {
                case "type" when value is JsonArray types:
                    AddTypes(result, types);
                    break;
                case "properties" when value is JsonObject props:
                    var cleanProps = new JsonObject();
                    foreach (var (name, propSchema) in props)
                    {
                        cleanProps[name] = propSchema is JsonObject p ? CleanObject(p, root, depth) : new JsonObject();
                    }

                    result["properties"] = cleanProps;
                    break;
                case "items" when value is JsonObject item:
                    result["items"] = CleanObject(item, root, depth);
                    break;
                case "anyOf" or "oneOf" when value is JsonArray alternatives:
                    var any = new JsonArray();
                    foreach (var alt in alternatives)
                    {
                        if (alt is JsonObject a)
                        {
                            any.Add(CleanObject(a, root, depth));
                        }
                    }

                    result["anyOf"] = any;
                    break;
                case "const" when value is not null:
                    result["enum"] = new JsonArray(value.DeepClone());
                    break;
                case "required" or "enum" or "propertyOrdering" when value is JsonArray:
                    result[key] = value.DeepClone();
                    break;
                default:
                    if (Kept.Contains(key) && value is JsonValue)
                    {
                        result[key] = value.DeepClone();
                    }

                    break;
            }
        }

        if (result["required"] is JsonArray required)
        {
            var props = result["properties"] as JsonObject;
            var kept = new JsonArray();
            foreach (var r in required)
            {
                if (r is JsonValue v && v.TryGetValue<string>(out var name) && props is not null && props.ContainsKey(name))
                {
                    kept.Add(name);
                }
            }

            if (kept.Count == 0)
            {
                result.Remove("required");
            }
            else
            {
                result["required"] = kept;
            }
        }

        return result;
    }

    private static void AddTypes(JsonObject result, JsonArray types)
    {
        var named = new List<string>();
        foreach (var t in types)
        {
            if (t is JsonValue v && v.TryGetValue<string>(out var name))
            {
                if (name == "null")
                {
                    result["nullable"] = true;
                }
                else
                {
                    named.Add(name);
                }
            }
        }

        if (named.Count == 1)
        {
            result["type"] = named[0];
        }
        else if (named.Count > 1)
        {
            var any = new JsonArray();
            foreach (var n in named)
            {
                any.Add(new JsonObject { ["type"] = n });
            }

            result["anyOf"] = any;
        }
    }

    private static JsonObject? Resolve(JsonObject root, string reference)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["#/$defs/", "#/definitions/"])
        {
            if (reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                var container = root[prefix[2..^1]] as JsonObject;
                return container?[reference[prefix.Length..]] as JsonObject;
            }
        }

        return reference == "#" ? root : null;
    }
}
