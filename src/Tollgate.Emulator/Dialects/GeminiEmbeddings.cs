using System.Text.Json;
using Tollgate.Emulator.Embeddings;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Dialects;

/// <summary>
/// Gemini's <c>embedContent</c> (<c>{"content":{...}}</c> to <c>{"embedding":{"values":[...]}}</c>) and
/// <c>batchEmbedContents</c> (<c>{"requests":[...]}</c> to <c>{"embeddings":[...]}</c>): each content's text parts,
/// joined, make one vector, as <see cref="EmbeddingsWriter"/> makes them; <c>outputDimensionality</c> sets its length.
/// Like Gemini's, the answer carries no usage.
/// </summary>
internal static class GeminiEmbeddings
{
    public static ReadOnlyMemory<byte>? Write(JsonElement root, string model, bool batch, int defaultDimensions, out long tokens, out EmulatorError? error)
    {
        tokens = 0;
        error = null;
        var items = new List<JsonElement>();
        if (root.ValueKind == JsonValueKind.Object && batch && root.TryGetProperty("requests", out var requests) && requests.ValueKind == JsonValueKind.Array)
        {
            items.AddRange(requests.EnumerateArray());
        }
        else if (root.ValueKind == JsonValueKind.Object && !batch)
        {
            items.Add(root);
        }

        var texts = new List<(string Text, int Dimensions)>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("content", out var content) || !content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
            {
                error = EmulatorError.InvalidRequest("* EmbedContentRequest.content: contents is not specified");
                return null;
            }

            var text = string.Join("\n", parts.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()));
            var dimensions = item.TryGetProperty("outputDimensionality", out var d) && d.TryGetInt32(out var n) && n > 0 ? n : defaultDimensions;
            texts.Add((text, dimensions));
            tokens += TokenEstimate.FromChars(text.Length);
        }

        if (texts.Count == 0)
        {
            error = EmulatorError.InvalidRequest("* BatchEmbedContentsRequest.requests: at least one request is required");
            return null;
        }

        return OpenAiJson.Write((texts, model, batch), static (w, s) =>
        {
            w.WriteStartObject();
            if (s.batch)
            {
                w.WriteStartArray("embeddings");
            }

            foreach (var (text, dimensions) in s.texts)
            {
                var vector = new float[dimensions];
                EmbeddingsWriter.Fill(vector, s.model, text);
                if (!s.batch)
                {
                    w.WritePropertyName("embedding");
                }

                w.WriteStartObject();
                w.WriteStartArray("values");
                foreach (var value in vector)
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (s.batch)
            {
                w.WriteEndArray();
            }

            w.WriteEndObject();
        });
    }
}
