using System.Globalization;
using System.Text.Json;
using Tollgate.Core.Pricing;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Keys;

/// <summary>Writes a key in seed 004's shape (<c>name</c>, <c>disabled</c>, <c>prefix</c>, <c>scopes</c>, <c>limit</c>, <c>created_at</c>, <c>updated_at</c>, <c>monthly_usage</c>) plus Tollgate's fields.</summary>
internal static class KeyJson
{
    public static void Write(Utf8JsonWriter w, VirtualKey key, decimal monthlyUsage, string? secret = null)
    {
        w.WriteStartObject();
        w.WriteString("name", key.Name);
        w.WriteBoolean("disabled", key.Disabled);
        w.WriteString("prefix", key.Prefix);
        w.WriteStartArray("scopes");
        foreach (var s in key.Scopes)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteStartObject("limit");
        w.WriteString("retention", key.Retention);
        if (key.Threshold is { } t)
        {
            w.WriteNumber("threshold", Money.Normalize(t));
        }
        else
        {
            w.WriteNull("threshold");
        }

        w.WriteBoolean("clamp", key.Clamp);
        WriteCount(w, "clamp_min_output", key.Clamp ? key.ClampMinimum : null);
        w.WriteEndObject();
        w.WriteString("created_at", Time(key.CreatedAt));
        w.WriteString("updated_at", Time(key.UpdatedAt));
        w.WriteNumber("monthly_usage", Money.Normalize(monthlyUsage));
        WriteCount(w, "rpm", key.Rpm);
        WriteCount(w, "tpm", key.Tpm);
        WriteCount(w, "max_parallel", key.MaxParallel);
        w.WriteStartArray("allowed_models");
        foreach (var m in key.AllowedModels)
        {
            w.WriteStringValue(m);
        }

        w.WriteEndArray();
        w.WriteString("expires_at", key.ExpiresAt is { } e ? Time(e) : null);
        w.WriteStartObject("metadata");
        foreach (var (k, v) in key.Metadata)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        if (secret is not null)
        {
            w.WriteString("key", secret);
        }

        w.WriteEndObject();
    }

    /// <summary>UTC with milliseconds, as the seed shows: <c>2026-02-18T06:59:10.031Z</c>.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteCount(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
