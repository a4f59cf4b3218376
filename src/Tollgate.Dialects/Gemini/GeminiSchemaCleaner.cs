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
/// <c>anyOf: [X, {type: null}]</c> (as Pydantic writes optional fields) to X + <c>nullable</c>; a <c>format</c>
/// Gemini does not know is dropped; an <c>enum</c> of non-strings (Gemini's enum is strings only) is moved into the
/// description. Everything else is dropped; <c>required</c> keeps only names that are in <c>properties</c>. For
/// response schemas, <c>propertyOrdering</c> is filled from the order of <c>properties</c>, since Gemini otherwise
/// orders output keys alphabetically.
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

    private static readonly HashSet<string> Formats = new(StringComparer.Ordinal)
    {
        "enum", "date-time", "int32", "int64", "float", "double",
    };

    public static JsonObject Clean(JsonNode? schema, bool addPropertyOrdering = false)
    {
        var root = schema as JsonObject;
        return root is null ? new JsonObject() : CleanObject(root, root, 0, addPropertyOrdering);
    }

    private static JsonObject CleanObject(JsonObject s, JsonObject root, int depth, bool ordering)
    {
        if (s["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference) && depth < MaxRefDepth)
        {
            var target = Resolve(root, reference);
            if (target is not null)
            {
                var resolved = CleanObject(target, root, depth + 1, ordering);
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
                        cleanProps[name] = propSchema is JsonObject p ? CleanObject(p, root, depth, ordering) : new JsonObject();
                    }

                    result["properties"] = cleanProps;
                    break;
                case "items" when value is JsonObject item:
                    result["items"] = CleanObject(item, root, depth, ordering);
                    break;
                case "anyOf" or "oneOf" when value is JsonArray alternatives:
                    var any = new JsonArray();
                    var nullable = false;
                    foreach (var alt in alternatives)
                    {
                        if (alt is JsonObject a)
                        {
                            if (a["type"] is JsonValue t && t.TryGetValue<string>(out var typeName) && typeName == "null")
                            {
                                nullable = true;
                            }
                            else
                            {
                                any.Add((JsonNode)CleanObject(a, root, depth, ordering));
                            }
                        }
                    }

                    if (nullable)
                    {
                        result["nullable"] = true;
                    }

                    if (any.Count == 1 && any[0] is JsonObject only)
                    {
                        // A single alternative left: inline it, the outer keywords (description, ...) winning.
                        foreach (var (k, v) in only.ToArray())
                        {
                            only.Remove(k);
                            result.TryAdd(k, v);
                        }
                    }
                    else if (any.Count > 1)
                    {
                        result["anyOf"] = any;
                    }

                    break;
                case "format" when value is JsonValue f:
                    if (f.TryGetValue<string>(out var format) && Formats.Contains(format))
                    {
                        result["format"] = format;
                    }

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

        if (result["enum"] is JsonArray values && values.Any(v => v is not JsonValue sv || sv.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            result.Remove("enum");
            var allowed = "Allowed values: " + string.Join(", ", values.Select(v => v?.ToJsonString() ?? "null")) + ".";
            result["description"] = result["description"] is JsonValue dv && dv.TryGetValue<string>(out var desc) && desc.Length > 0
                ? desc + " " + allowed
                : allowed;
        }

        if (ordering && result["properties"] is JsonObject { Count: > 1 } ordered && result["propertyOrdering"] is null)
        {
            var names = new JsonArray();
            foreach (var (name, _) in ordered)
            {
                names.Add((JsonNode)name);
            }

            result["propertyOrdering"] = names;
        }

        if (result["required"] is JsonArray required)
        {
            var props = result["properties"] as JsonObject;
            var kept = new JsonArray();
            foreach (var r in required)
            {
                if (r is JsonValue v && v.TryGetValue<string>(out var name) && props is not null && props.ContainsKey(name))
                {
                    kept.Add((JsonNode)name);
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
                any.Add((JsonNode)new JsonObject { ["type"] = n });
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
