using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Configuration;

/// <summary>
/// Typed reads of <c>tollgate.json</c> values. Every bad value becomes an <see cref="InvalidOperationException"/>
/// whose message names the file and the field path, e.g. <c>tollgate.json: routing.retries: must be 0 or more</c>,
/// so a bad setting stops start-up instead of failing requests.
/// </summary>
internal readonly struct ConfigReader(string file)
{
    public string File => file;

    public InvalidOperationException Error(string field, string problem) => new($"{file}: {field}: {problem}");

    /// <summary>Refuses fields other than <paramref name="known"/>, so a misspelt setting is not silently ignored.</summary>
    public void OnlyFields(JsonObject node, string field, params string[] known)
    {
        foreach (var (name, _) in node)
        {
            if (System.Array.IndexOf(known, name) < 0)
            {
                throw Error(Join(field, name), $"unknown field (known: {string.Join(", ", known)})");
            }
        }
    }

    public JsonObject Object(JsonNode? node, string field) =>
        node as JsonObject ?? throw Error(field, "must be an object");

    public JsonArray Array(JsonNode? node, string field) =>
        node as JsonArray ?? throw Error(field, "must be an array");

    public string String(JsonNode? node, string field) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s
            ? s
            : throw Error(field, "must be a non-empty string");

    public bool Bool(JsonNode? node, string field) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(field, "must be true or false"),
    };

    public long Long(JsonNode? node, string field, long min)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out long value))
        {
            throw Error(field, "must be a whole number");
        }

        return value >= min ? value : throw Error(field, $"must be {min} or more, not {value}");
    }

    public int Int(JsonNode? node, string field, int min) =>
        (int)Math.Min(Long(node, field, min), int.MaxValue);

    public double Number(JsonNode? node, string field, double min, bool exclusive = false)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out double value) || !double.IsFinite(value))
        {
            throw Error(field, "must be a number");
        }

        return value > min || (!exclusive && value == min)
            ? value
            : throw Error(field, exclusive ? $"must be more than {min}, not {value}" : $"must be {min} or more, not {value}");
    }

    /// <summary>A duration in seconds, more than zero.</summary>
    public TimeSpan Seconds(JsonNode? node, string field) => TimeSpan.FromSeconds(Number(node, field, 0, exclusive: true));

    public string[] Strings(JsonNode? node, string field)
    {
        var array = Array(node, field);
        var values = new string[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = String(array[i], $"{field}[{i}]");
        }

        return values;
    }

    public static string Join(string field, string name) => field.Length == 0 ? name : field + "." + name;
}
