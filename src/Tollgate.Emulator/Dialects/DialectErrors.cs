using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Dialects;

/// <summary>Writes an <see cref="EmulatorError"/> in the error shape of each API.</summary>
internal static class DialectErrors
{
    public static ReadOnlyMemory<byte> Write(EmulatorError error, EmulatorDialect dialect, int? retryAfterSeconds = null) => dialect switch
    {
        EmulatorDialect.Anthropic => OpenAiJson.Write(error, static (w, e) =>
        {
            // {"type":"error","error":{"type","message"}}, the type chosen by status as Anthropic does.
            w.WriteStartObject();
            w.WriteString("type", "error");
            w.WriteStartObject("error");
            w.WriteString("type", AnthropicType(e.Status));
            w.WriteString("message", e.Message);
            w.WriteEndObject();
            w.WriteEndObject();
        }),
        EmulatorDialect.Gemini => OpenAiJson.Write((error, retryAfterSeconds), static (w, s) =>
        {
            // google.rpc.Status: {"error":{"code","message","status","details"}}; a 429 says when to retry.
            var (e, retry) = s;
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteNumber("code", e.Status);
            w.WriteString("message", e.Message);
            w.WriteString("status", GeminiStatus(e.Status));
            if (e.Status == 429)
            {
                w.WriteStartArray("details");
                w.WriteStartObject();
                w.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
                w.WriteString("retryDelay", $"{retry ?? 1}s");
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }),
        _ => OpenAiJson.Error(error),
    };

    private static string AnthropicType(int status) => status switch
    {
        400 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 or 503 => "overloaded_error",
        _ => "api_error",
    };

    private static string GeminiStatus(int status) => status switch
    {
        400 or 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };
}
