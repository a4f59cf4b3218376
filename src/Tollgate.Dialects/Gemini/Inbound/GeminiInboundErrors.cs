using System.Buffers;
using System.Text.Json;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>
/// Errors in Gemini's shape, <c>{"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}</c>, with the
/// <c>google.rpc.Code</c> name Google gives each HTTP status; Google's SDKs raise them with the HTTP status.
/// </summary>
public static class GeminiInboundErrors
{
    /// <summary>The <c>status</c> name of an HTTP status, as Google's APIs map them.</summary>
    public static string StatusName(int code) => code switch
    {
        400 or 413 or 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        >= 400 and < 500 => "FAILED_PRECONDITION",
        _ => "INTERNAL",
    };

    /// <summary>The error body for <paramref name="code"/> with <paramref name="message"/>.</summary>
    public static byte[] Body(int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            w.WriteString("status", StatusName(code));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An OpenAI-shaped error (<c>{"error":{"message",...}}</c>) with <paramref name="status"/> in Gemini's shape.</summary>
    public static byte[] FromOpenAI(int status, ReadOnlySpan<byte> openAIError)
    {
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(openAIError.ToArray());
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e))
            {
                message = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
                    : e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the generic message below, never the raw body.
        }

        return Body(status, message ?? $"The upstream provider answered {status}.");
    }
}
