using System.Text.Json;

namespace Tollgate.Dialects.Anthropic;

/// <summary>Value mappings shared by the response and stream translators.</summary>
internal static class AnthropicMapping
{
    /// <summary>Maps Anthropic's <c>stop_reason</c> to OpenAI's <c>finish_reason</c>.</summary>
    public static string? FinishReason(string? stopReason) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" or "pause_turn" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    /// <summary>Maps an Anthropic error type to an HTTP status, falling back to the upstream's status.</summary>
    public static int ErrorStatus(string? errorType, int upstreamStatus) => errorType switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "api_error" => 500,
        // 529 is Anthropic's own; OpenAI clients retry a 503.
        "overloaded_error" => 503,
        "timeout_error" => 504,
        _ => upstreamStatus is >= 400 and <= 599 ? upstreamStatus : 502,
    };

    /// <summary>Writes <c>{"error":{message,type,param,code}}</c> from an Anthropic error object.</summary>
    public static void WriteOpenAIError(Utf8JsonWriter writer, string? errorType, string? message)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, message ?? "The upstream provider returned an error.");
        writer.WriteString("type"u8, errorType switch
        {
            "invalid_request_error" or "request_too_large" or "not_found_error" => "invalid_request_error",
            "authentication_error" or "permission_error" => "authentication_error",
            "rate_limit_error" => "rate_limit_error",
            _ => "server_error",
        });
        writer.WriteNull("param"u8);
        if (errorType is null)
        {
            writer.WriteNull("code"u8);
        }
        else
        {
            writer.WriteString("code"u8, errorType);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
