using System.Buffers;
using System.Text.Json;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// A request's attempts as one JSON array of <c>{provider, model, status, failure, latency_ms}</c>: the text both
/// ledgers store (SQLite as TEXT, PostgreSQL as jsonb) and the array the request log shows.
/// </summary>
public static class LedgerAttemptJson
{
    /// <summary>Writes <paramref name="attempts"/> as the value of <paramref name="name"/> in the object being written.</summary>
    public static void Write(Utf8JsonWriter writer, string name, IReadOnlyList<LedgerAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(attempts);
        writer.WritePropertyName(name);
        WriteArray(writer, attempts);
    }

    /// <summary>The stored text of <paramref name="attempts"/>, or null when there are none (a request refused before it was sent).</summary>
    public static string? Serialize(IReadOnlyList<LedgerAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(128 * attempts.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteArray(writer, attempts);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The attempts in stored text; null or an empty array are no attempts.</summary>
    /// <exception cref="JsonException">The text is not an array of attempts.</exception>
    public static IReadOnlyList<LedgerAttempt> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The stored attempts are not a JSON array.");
        }

        var attempts = new LedgerAttempt[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var a in document.RootElement.EnumerateArray())
        {
            attempts[i++] = new LedgerAttempt(
                a.GetProperty("provider").GetString()!,
                a.GetProperty("model").GetString()!,
                a.GetProperty("status").GetInt32(),
                a.TryGetProperty("failure", out var failure) ? failure.GetString() : null,
                a.GetProperty("latency_ms").GetDouble());
        }

        return attempts.Length == 0 ? [] : attempts;
    }

    /// <summary>The attempts as one JSON array, written where <paramref name="writer"/> is.</summary>
    internal static void WriteArray(Utf8JsonWriter writer, IReadOnlyList<LedgerAttempt> attempts)
    {
        writer.WriteStartArray();
        foreach (var a in attempts)
        {
            writer.WriteStartObject();
            writer.WriteString("provider", a.Provider);
            writer.WriteString("model", a.Model);
            writer.WriteNumber("status", a.Status);
            writer.WriteString("failure", a.Failure);
            writer.WriteNumber("latency_ms", a.LatencyMs);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
