using System.Globalization;
using System.Text.Json;
using Tollgate.Gateway.Errors;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// The changes a create or update request asks for, parsed from seed 004's JSON shape plus Tollgate's fields:
/// <c>name</c>, <c>disabled</c>, <c>scopes</c>, <c>limit {retention, threshold, clamp, clamp_min_output}</c>, <c>rpm</c>, <c>tpm</c>,
/// <c>max_parallel</c>, <c>allowed_models</c>, <c>expires_at</c>, <c>metadata</c>. A field that is absent is left
/// as it is; <c>null</c> clears it.
/// </summary>
internal sealed class KeyEdits
{
    private readonly List<Func<VirtualKey, VirtualKey>> _edits = [];

    public int Count => _edits.Count;

    public void Add(Func<VirtualKey, VirtualKey> edit) => _edits.Add(edit);

    public VirtualKey Apply(VirtualKey key)
    {
        foreach (var edit in _edits)
        {
            key = edit(key);
        }

        return key;
    }

    /// <summary>Parses a request body; returns null with <paramref name="error"/> set when a field is malformed.</summary>
    public static KeyEdits? Parse(ReadOnlySpan<byte> json, out ApiError? error)
    {
        error = null;
        var edits = new KeyEdits();
        if (json.IsEmpty)
        {
            return edits;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            error = ApiError.BadRequest("The request body is not valid JSON: " + ex.Message);
            return null;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = ApiError.BadRequest("The request body must be a JSON object.");
                return null;
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                error = ParseField(edits, p.Name, p.Value);
                if (error is not null)
                {
                    return null;
                }
            }
        }

        return edits;
    }

    private static ApiError? ParseField(KeyEdits edits, string name, JsonElement v)
    {
        switch (name)
        {
            case "name":
                if (v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return Bad("'name' must be a string.", name);
                }

                var text = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                edits.Add(k => k with { Name = text });
                return null;
            case "disabled":
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Bad("'disabled' must be true or false.", name);
                }

                var disabled = v.GetBoolean();
                edits.Add(k => k with { Disabled = disabled });
                return null;
            case "scopes":
            case "allowed_models":
                if (!TryStrings(v, out var list))
                {
                    return Bad($"'{name}' must be an array of strings.", name);
                }

                if (name == "scopes")
                {
                    edits.Add(k => k with { Scopes = list });
                }
                else
                {
                    edits.Add(k => k with { AllowedModels = list });
                }

                return null;
            case "limit":
                return ParseLimit(edits, v);
            case "rpm":
            case "max_parallel":
                if (!TryCount(v, int.MaxValue, out var n))
                {
                    return Bad($"'{name}' must be a positive integer or null.", name);
                }

                var i = (int?)n;
                edits.Add(name == "rpm" ? k => k with { Rpm = i } : k => k with { MaxParallel = i });
                return null;
            case "tpm":
                if (!TryCount(v, long.MaxValue, out var tpm))
                {
                    return Bad("'tpm' must be a positive integer or null.", name);
                }

                edits.Add(k => k with { Tpm = tpm });
                return null;
            case "expires_at":
                if (v.ValueKind == JsonValueKind.Null)
                {
                    edits.Add(static k => k with { ExpiresAt = null });
                    return null;
                }

                if (v.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
                {
                    return Bad("'expires_at' must be a date-time such as 2026-12-31T00:00:00Z, or null.", name);
                }

                edits.Add(k => k with { ExpiresAt = expires.ToUniversalTime() });
                return null;
            case "metadata":
                if (v.ValueKind == JsonValueKind.Null)
                {
                    edits.Add(static k => k with { Metadata = null! });
                    return null;
                }

                if (v.ValueKind != JsonValueKind.Object)
                {
                    return Bad("'metadata' must be an object of strings.", name);
                }

                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var m in v.EnumerateObject())
                {
                    if (m.Value.ValueKind != JsonValueKind.String)
                    {
                        return Bad($"'metadata.{m.Name}' must be a string.", name);
                    }

                    map[m.Name] = m.Value.GetString()!;
                }

                edits.Add(k => k with { Metadata = map });
                return null;
            default:
                return Bad($"Unknown field '{name}'. Keys have name, disabled, scopes, limit, rpm, tpm, max_parallel, allowed_models, expires_at, metadata.", name);
        }
    }

    private static ApiError? ParseLimit(KeyEdits edits, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            edits.Add(static k => k with { Threshold = null, Retention = KeyRetention.NoReset });
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            return Bad("'limit' must be an object: {\"retention\": \"day|week|month|no_reset\", \"threshold\": USD}.", "limit");
        }

        bool? clamp = null;
        long? minOutput = null;
        var minOutputSet = false;
        foreach (var p in v.EnumerateObject())
        {
            switch (p.Name)
            {
                case "retention":
                    var retention = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                    if (!KeyRetention.IsValid(retention))
                    {
                        return Bad("'limit.retention' must be day, week, month or no_reset.", "limit.retention");
                    }

                    edits.Add(k => k with { Retention = retention! });
                    break;
                case "threshold":
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        edits.Add(static k => k with { Threshold = null });
                        break;
                    }

                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDecimal(out var threshold) || threshold < 0)
                    {
                        return Bad("'limit.threshold' must be a number of USD, 0 or more, or null.", "limit.threshold");
                    }

                    edits.Add(k => k with { Threshold = threshold });
                    break;
                case "clamp":
                    if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return Bad("'limit.clamp' must be true or false.", "limit.clamp");
                    }

                    clamp = p.Value.GetBoolean();
                    break;
                case "clamp_min_output":
                    if (!TryCount(p.Value, long.MaxValue, out minOutput))
                    {
                        return Bad("'limit.clamp_min_output' must be a positive number of tokens, or null for the default (1024).", "limit.clamp_min_output");
                    }

                    minOutputSet = true;
                    break;
                default:
                    return Bad($"Unknown field 'limit.{p.Name}'; a limit has retention, threshold, clamp and clamp_min_output.", "limit");
            }
        }

        return ParseClamp(edits, clamp, minOutputSet, minOutput);
    }

    /// <summary>
    /// <c>limit.clamp</c> and <c>limit.clamp_min_output</c> are one stored setting (<see cref="VirtualKey.ClampMinOutput"/>:
    /// 0 is off): clamp false turns it off, a minimum (or clamp true) turns it on.
    /// </summary>
    private static ApiError? ParseClamp(KeyEdits edits, bool? clamp, bool minOutputSet, long? minOutput)
    {
        if (clamp == false && minOutputSet && minOutput is not null)
        {
            return Bad("'limit.clamp_min_output' needs the clamp on; it cannot be set with 'limit.clamp': false.", "limit.clamp_min_output");
        }

        if (clamp == false)
        {
            edits.Add(static k => k with { ClampMinOutput = 0 });
        }
        else if (minOutputSet)
        {
            edits.Add(k => k with { ClampMinOutput = minOutput });
        }
        else if (clamp == true)
        {
            // On again, with the minimum it had, else the default.
            edits.Add(static k => k.ClampMinOutput == 0 ? k with { ClampMinOutput = null } : k);
        }

        return null;
    }

    private static bool TryStrings(JsonElement v, out string[] list)
    {
        list = [];
        if (v.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var items = new List<string>();
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
            {
                return false;
            }

            items.Add(e.GetString()!.Trim());
        }

        list = items.ToArray();
        return true;
    }

    private static bool TryCount(JsonElement v, long max, out long? value)
    {
        value = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 && n <= max)
        {
            value = n;
            return true;
        }

        return false;
    }

    private static ApiError Bad(string message, string param) => ApiError.BadRequest(message, param);
}
