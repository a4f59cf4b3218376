using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Translates Gemini's error body (<c>{"error":{"code","message","status","details":[...]}}</c>) to OpenAI's.
/// </summary>
/// <remarks>
/// <c>type</c> follows the HTTP status (invalid_request_error, authentication_error, permission_error,
/// not_found_error, rate_limit_error, server_error); <c>code</c> is Gemini's <c>status</c> in lower case
/// (e.g. <c>resource_exhausted</c>). A <c>google.rpc.RetryInfo</c> detail's <c>retryDelay</c> ("34.4s")
/// becomes <see cref="GeminiErrorTranslation.RetryAfterSeconds"/>, rounded up.
/// </remarks>
public static class GeminiErrorTranslator
{
    /// <summary>Translates an error response; a body that is not Gemini's shape still yields an OpenAI error.</summary>
    /// <param name="httpStatusCode">The upstream HTTP status.</param>
    /// <param name="body">The upstream body.</param>
    public static GeminiErrorTranslation Translate(int httpStatusCode, ReadOnlySpan<byte> body)
    {
        string? message = null;
        string? status = null;
        int? retryAfter = null;
        var code = httpStatusCode;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            // Streams and some proxies wrap the error in a one-element array.
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                message = GeminiResponseTranslator.String(error, "message");
                status = GeminiResponseTranslator.String(error, "status");
                if (code is < 400 or > 599 && error.TryGetProperty("code", out var c) && c.TryGetInt32(out var parsed))
                {
                    code = parsed;
                }

                retryAfter = RetryDelay(error);
            }
        }
        catch (JsonException)
        {
            // Not JSON: answer with a generic message below, never the raw upstream body.
        }

        if (code is < 400 or > 599)
        {
            code = 502;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, GeminiJson.Writer))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message ?? $"The Gemini API returned HTTP {code}.");
            w.WriteString("type", TypeOf(code));
            w.WriteNull("param");
            if (status is not null)
            {
                w.WriteString("code", status.ToLowerInvariant());
            }
            else
            {
                w.WriteNull("code");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return new GeminiErrorTranslation(code, buffer.WrittenSpan.ToArray(), retryAfter);
    }

    /// <summary>True when <paramref name="body"/> is a Gemini error object (as may arrive inside a stream).</summary>
    public static bool IsError(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            // Only the first property level is looked at.
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    private static string TypeOf(int code) => code switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    private static int? RetryDelay(JsonElement error)
    {
        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var d in details.EnumerateArray())
        {
            var type = GeminiResponseTranslator.String(d, "@type");
            var delay = GeminiResponseTranslator.String(d, "retryDelay");
            if (type is not null && type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal)
                && delay is { Length: > 1 } && delay[^1] == 's'
                && decimal.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                return (int)Math.Ceiling(seconds);
            }
        }

        return null;
    }
}
