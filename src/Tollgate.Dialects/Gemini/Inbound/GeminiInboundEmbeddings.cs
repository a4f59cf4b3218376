using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>
/// Gemini's <c>embedContent</c> and <c>batchEmbedContents</c> as OpenAI's <c>/v1/embeddings</c> and back: each
/// request's content (its text parts, joined) is one input, <c>outputDimensionality</c> is <c>dimensions</c>; the
/// vectors come back as <c>embedding.values</c> (or <c>embeddings[].values</c>) in input order. <c>taskType</c> and
/// <c>title</c> have no OpenAI counterpart and are left out.
/// </summary>
public static class GeminiInboundEmbeddings
{
    /// <summary>The OpenAI embeddings request for <paramref name="model"/>.</summary>
    public static GeminiInboundTranslation TranslateRequest(ReadOnlySpan<byte> geminiRequestJson, string model, bool batch)
    {
        if (GeminiInboundTranslation.ParseObject(geminiRequestJson, out var failure) is not { } request)
        {
            return failure!;
        }

        var items = batch ? (request["requests"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [] : [request];
        if (items.Count == 0)
        {
            return GeminiInboundTranslation.Failure("requests", "requests must be a non-empty array of EmbedContentRequest.");
        }

        var inputs = new JsonArray();
        var unsupported = new List<string>();
        int? dimensions = null;
        foreach (var item in items)
        {
            if (item["content"] is not JsonObject content || content["parts"] is not JsonArray parts)
            {
                return GeminiInboundTranslation.Failure("content", "content is not specified (a Content with text parts).");
            }

            var text = string.Join("\n", parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>()).Where(t => t is not null));
            inputs.Add((JsonNode)text);
            if ((item["outputDimensionality"] ?? item["output_dimensionality"]) is JsonValue d)
            {
                dimensions ??= d.GetValue<int>();
            }

            foreach (var name in new[] { "taskType", "title" })
            {
                if (item[name] is not null && !unsupported.Contains(name))
                {
                    unsupported.Add(name);
                }
            }
        }

        var output = new JsonObject { ["model"] = model, ["input"] = batch ? inputs : inputs[0]!.DeepClone() };
        if (dimensions is { } dims)
        {
            output["dimensions"] = dims;
        }

        return new GeminiInboundTranslation(NodeJson.Utf8(output), unsupported);
    }

    /// <summary>
    /// The texts an embeddings request embeds, as a JSON array of strings: what the provider bills, for admission and
    /// for the estimate when the provider reports no usage (Gemini's embeddings never do). Empty when there are none.
    /// </summary>
    public static byte[] Texts(ReadOnlySpan<byte> geminiRequestJson, bool batch)
    {
        var translation = TranslateRequest(geminiRequestJson, "", batch);
        if (!translation.IsSuccess)
        {
            return "[]"u8.ToArray();
        }

        var input = JsonNode.Parse(translation.Body)!["input"]!;
        return NodeJson.Utf8(input is JsonArray ? input : new JsonArray(input.DeepClone()));
    }

    /// <summary>The Gemini answer to an OpenAI embeddings response, with <c>tollgate.cost</c>; null when it is not one.</summary>
    public static byte[]? TranslateResponse(ReadOnlySpan<byte> openAIResponse, bool batch, decimal? cost)
    {
        try
        {
            using var doc = JsonDocument.Parse(openAIResponse.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var vectors = data.EnumerateArray()
                .Select((d, i) => (Index: d.TryGetProperty("index", out var x) && x.TryGetInt32(out var n) ? n : i, Embedding: d.GetProperty("embedding")))
                .OrderBy(v => v.Index)
                .ToList();
            if (vectors.Count == 0 || vectors.Any(v => v.Embedding.ValueKind != JsonValueKind.Array))
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(openAIResponse.Length);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                if (batch)
                {
                    w.WriteStartArray("embeddings");
                    foreach (var v in vectors)
                    {
                        WriteValues(w, v.Embedding);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WritePropertyName("embedding");
                    WriteValues(w, vectors[0].Embedding);
                }

                GeminiInboundShapes.WriteCost(w, cost);
                w.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static void WriteValues(Utf8JsonWriter w, JsonElement embedding)
    {
        w.WriteStartObject();
        w.WritePropertyName("values");
        embedding.WriteTo(w);
        w.WriteEndObject();
    }
}
