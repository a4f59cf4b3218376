using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// OpenAI's embeddings request to Gemini's <c>batchEmbedContents</c> and its answer back: one Gemini request per
/// input string (each with <c>outputDimensionality</c> for <c>dimensions</c>); the vectors returned as floats or, for
/// <c>encoding_format: "base64"</c> (the SDKs' default), as little-endian float32 bytes in base64. Gemini reports no
/// usage for embeddings, so the caller passes the tokens it counted.
/// </summary>
public static class GeminiEmbeddingsTranslator
{
    /// <summary>
    /// The Gemini body for <paramref name="openAIBody"/> on <paramref name="upstreamModel"/>, with whether the
    /// client asked for base64; null with <paramref name="error"/> (and its parameter) when it cannot be expressed.
    /// </summary>
    public static byte[]? TranslateRequest(ReadOnlySpan<byte> openAIBody, string upstreamModel, out bool base64, out string? error, out string? errorParam)
    {
        base64 = false;
        error = null;
        errorParam = null;
        var reader = new Utf8JsonReader(openAIBody);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        var inputs = new List<string>();
        if (!root.TryGetProperty("input", out var input))
        {
            (error, errorParam) = ("Missing required parameter: 'input'.", "input");
            return null;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(input.GetString()!);
        }
        else if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0 && input.EnumerateArray().All(static e => e.ValueKind == JsonValueKind.String))
        {
            inputs.AddRange(input.EnumerateArray().Select(static e => e.GetString()!));
        }
        else
        {
            (error, errorParam) = ("Gemini embeds text only: 'input' must be a string or a non-empty array of strings (token arrays cannot be sent to Gemini).", "input");
            return null;
        }

        int? dimensions = null;
        if (root.TryGetProperty("dimensions", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (!d.TryGetInt32(out var n) || n < 1)
            {
                (error, errorParam) = ("'dimensions' must be a positive integer.", "dimensions");
                return null;
            }

            dimensions = n;
        }

        if (root.TryGetProperty("encoding_format", out var f) && f.ValueKind == JsonValueKind.String)
        {
            base64 = f.ValueEquals("base64"u8);
            if (!base64 && !f.ValueEquals("float"u8))
            {
                (error, errorParam) = ("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
                return null;
            }
        }

        var output = new ArrayBufferWriter<byte>(openAIBody.Length + 64 * inputs.Count);
        using (var w = new Utf8JsonWriter(output))
        {
            var model = "models/" + upstreamModel;
            w.WriteStartObject();
            w.WriteStartArray("requests");
            foreach (var text in inputs)
            {
                w.WriteStartObject();
                w.WriteString("model", model);
                w.WriteStartObject("content");
                w.WriteStartArray("parts");
                w.WriteStartObject();
                w.WriteString("text", text);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                if (dimensions is { } dims)
                {
                    w.WriteNumber("outputDimensionality", dims);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Gemini's <c>batchEmbedContents</c> answer as OpenAI's embeddings response, with <paramref name="promptTokens"/>
    /// as its usage and <paramref name="cost"/> written into it; null when the answer holds no <c>embeddings</c> array.
    /// </summary>
    public static byte[]? TranslateResponse(ReadOnlySpan<byte> geminiBody, string model, bool base64, long promptTokens, decimal? cost)
    {
        var reader = new Utf8JsonReader(geminiBody);
        using var doc = JsonDocument.ParseValue(ref reader);
        if (!doc.RootElement.TryGetProperty("embeddings", out var embeddings) || embeddings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(geminiBody.Length);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            var index = 0;
            foreach (var embedding in embeddings.EnumerateArray())
            {
                if (!embedding.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", index++);
                if (base64)
                {
                    var bytes = new byte[values.GetArrayLength() * 4];
                    var i = 0;
                    foreach (var v in values.EnumerateArray())
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i), v.GetSingle());
                        i += 4;
                    }

                    w.WriteBase64String("embedding", bytes);
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var v in values.EnumerateArray())
                    {
                        // The number as Gemini wrote it: no float round trip.
                        w.WriteRawValue(v.GetRawText(), skipInputValidation: true);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("total_tokens", promptTokens);
            if (cost is { } c)
            {
                w.WriteNumber("cost", c);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
