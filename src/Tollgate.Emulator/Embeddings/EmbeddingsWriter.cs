using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Embeddings;

/// <summary>Writes deterministic embeddings: a unit vector seeded by a hash of model and input.</summary>
internal static class EmbeddingsWriter
{
    public static ReadOnlyMemory<byte> Write(EmbeddingsRequest request, int dimensions, long? promptTokens, bool includeUsage) =>
        OpenAiJson.Write((request, dimensions, promptTokens, includeUsage), static (w, s) =>
        {
            var (request, dimensions, promptTokens, includeUsage) = s;
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            long tokens = 0;
            var vector = new float[dimensions];
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var (text, count) = request.Inputs[i];
                tokens += count;
                Fill(vector, request.Model, text);
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                if (request.Base64)
                {
                    var bytes = new byte[dimensions * sizeof(float)];
                    for (var d = 0; d < dimensions; d++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), vector[d]);
                    }

                    w.WriteBase64String("embedding", bytes);
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var value in vector)
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", request.Model);
            if (includeUsage)
            {
                w.WriteStartObject("usage");
                w.WriteNumber("prompt_tokens", promptTokens ?? tokens);
                w.WriteNumber("total_tokens", promptTokens ?? tokens);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });

    /// <summary>Fills <paramref name="vector"/> with a unit vector that depends only on model and text.</summary>
    internal static void Fill(Span<float> vector, string model, string text)
    {
        var state = BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + text)));
        double norm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            // SplitMix64: a tiny, fixed generator, so vectors never change between runtimes.
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var value = (float)(((z >> 11) * (1.0 / (1UL << 53))) * 2.0 - 1.0);
            vector[i] = value;
            norm += (double)value * value;
        }

        var scale = norm > 0 ? (float)(1.0 / Math.Sqrt(norm)) : 0f;
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }
    }
}
