using System.Text.Json;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>
/// Reads what the gateway needs of a Gemini request in one pass with <see cref="Utf8JsonReader"/> (which also proves
/// the body is JSON): the output bound (<c>generationConfig.maxOutputTokens</c>) and the members the gateway bills as
/// input. The model and whether it streams come from the URL. As <see cref="OpenAIRequestReader"/>, a member the
/// gateway reads may appear once: with two, the gateway and the provider could each take another.
/// </summary>
public static class GeminiInboundReader
{
    private static readonly HashSet<string> Members = new(StringComparer.Ordinal)
    {
        "contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "content", "requests", "generateContentRequest", "cachedContent",
    };

    /// <summary>Reads <paramref name="body"/>, the request of <paramref name="call"/> for <paramref name="model"/>.</summary>
    public static OpenAIRequest Read(ReadOnlySpan<byte> body, string model, GeminiCall call, bool stream)
    {
        var request = new OpenAIRequest { Model = model, Stream = stream && call == GeminiCall.GenerateContent };
        try
        {
            ReadCore(body, call, request);
            if (request.Error is null && !System.Text.Unicode.Utf8.IsValid(body))
            {
                Fail(request, "The request body holds text that is not valid UTF-8.", null);
            }
        }
        catch (JsonException ex)
        {
            request.Error = "The request body is not valid JSON: " + ex.Message;
            request.ErrorParam = null;
        }

        if (request.Error is null && model.Length == 0)
        {
            Fail(request, "The URL names no model: POST /v1beta/models/{model}:generateContent.", "model");
        }

        return request;
    }

    private static void ReadCore(ReadOnlySpan<byte> body, GeminiCall call, OpenAIRequest request)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Fail(request, "The request body must be a JSON object.", null);
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var canonical = Canonical(name);
            if (Members.Contains(canonical) && !seen.Add(canonical))
            {
                Fail(request, $"The member '{name}' appears more than once in the request body.", name);
            }

            reader.Read();
            switch (canonical)
            {
                case "generationConfig" when reader.TokenType == JsonTokenType.StartObject:
                    ReadGenerationConfig(ref reader, request);
                    break;
                case "generateContentRequest" when reader.TokenType == JsonTokenType.StartObject && call == GeminiCall.CountTokens:
                    // countTokens may wrap a whole generateContent request; it is what is counted.
                    found = true;
                    reader.Skip();
                    break;
                default:
                    found |= call switch
                    {
                        GeminiCall.GenerateContent or GeminiCall.CountTokens => canonical == "contents",
                        GeminiCall.EmbedContent => canonical == "content",
                        _ => canonical == "requests",
                    };
                    reader.Skip();
                    break;
            }
        }

        // Read to the end so trailing garbage is caught too.
        while (reader.Read())
        {
        }

        if (!found)
        {
            var required = call switch
            {
                GeminiCall.GenerateContent or GeminiCall.CountTokens => "contents",
                GeminiCall.EmbedContent => "content",
                _ => "requests",
            };
            Fail(request, $"Missing required field: '{required}'.", required);
        }
    }

    private static void ReadGenerationConfig(ref Utf8JsonReader reader, OpenAIRequest request)
    {
        var depth = reader.CurrentDepth;
        var seenMax = false;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("maxOutputTokens"u8) || reader.ValueTextEquals("max_output_tokens"u8))
            {
                if (seenMax)
                {
                    Fail(request, "The member 'generationConfig.maxOutputTokens' appears more than once in the request body.", "generationConfig.maxOutputTokens");
                }

                seenMax = true;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max) && max > 0)
                {
                    request.MaxTokens = max;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Fail(request, "'generationConfig.maxOutputTokens' must be a positive integer.", "generationConfig.maxOutputTokens");
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Gemini's JSON accepts snake_case field names as well as camelCase; both spell one member.</summary>
    private static string Canonical(string name) => name switch
    {
        "system_instruction" => "systemInstruction",
        "generation_config" => "generationConfig",
        "tool_config" => "toolConfig",
        "generate_content_request" => "generateContentRequest",
        _ => name,
    };

    private static void Fail(OpenAIRequest request, string message, string? param)
    {
        if (request.Error is null)
        {
            request.Error = message;
            request.ErrorParam = param;
        }
    }
}
