using System.Text.Json;

namespace Tollgate.Emulator.Chat;

/// <summary>
/// Builds deterministic call arguments from a JSON schema: every required property gets a
/// placeholder of its type (string "test" or the first enum value, number 1, boolean true,
/// array [], object built the same way). Optional properties are left out.
/// </summary>
internal static class ToolArguments
{
    private const int MaxDepth = 16;

    public static string Build(JsonElement? parameters)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            if (parameters is { ValueKind: JsonValueKind.Object } schema)
            {
                WriteObject(w, schema, 0);
            }
            else
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteObject(Utf8JsonWriter w, JsonElement schema, int depth)
    {
        w.WriteStartObject();
        if (depth < MaxDepth
            && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && properties.TryGetProperty(name.GetString()!, out var property))
                {
                    w.WritePropertyName(name.GetString()!);
                    WriteValue(w, property, depth + 1);
                }
            }
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            w.WriteStringValue("test");
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(w);
            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(w);
            return;
        }

        switch (TypeOf(schema))
        {
            case "integer" or "number": w.WriteNumberValue(1); break;
            case "boolean": w.WriteBooleanValue(true); break;
            case "null": w.WriteNullValue(); break;
            case "array": w.WriteStartArray(); w.WriteEndArray(); break;
            case "object": WriteObject(w, schema, depth); break;
            default: w.WriteStringValue("test"); break;
        }
    }

    // "type" may be a string or a list such as ["string", "null"]; the first non-null type wins.
    // Gemini's Schema spells types in capitals (OBJECT, INTEGER), so names are compared in lower case.
    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString()?.ToLowerInvariant();
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            string? first = null;
            foreach (var t in type.EnumerateArray())
            {
                var name = t.ValueKind == JsonValueKind.String ? t.GetString()?.ToLowerInvariant() : null;
                if (name is not null and not "null")
                {
                    return name;
                }

                first ??= name;
            }

            return first;
        }

        return null;
    }
}
