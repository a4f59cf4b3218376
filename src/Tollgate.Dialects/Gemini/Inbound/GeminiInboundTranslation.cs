using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>A Gemini request translated into OpenAI's shape: the body, or the reason for a 400.</summary>
public sealed record GeminiInboundTranslation(byte[]? Body, IReadOnlyList<string> UnsupportedParameters, string? Error = null, string? ErrorParam = null)
{
    public bool IsSuccess => Body is not null;

    internal static GeminiInboundTranslation Failure(string? param, string message) => new(null, [], message, param);

    /// <summary>The body as a JSON object, or null with the 400 that says why it is not one.</summary>
    internal static JsonObject? ParseObject(ReadOnlySpan<byte> json, out GeminiInboundTranslation? failure)
    {
        failure = null;
        try
        {
            if (JsonNode.Parse(json) is JsonObject parsed)
            {
                return parsed;
            }

            failure = Failure(null, "The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            failure = Failure(null, "The request body is not valid JSON.");
        }

        return null;
    }
}
