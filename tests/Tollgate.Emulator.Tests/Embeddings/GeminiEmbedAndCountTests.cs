namespace Tollgate.Emulator.Tests.Embeddings;

/// <summary>Gemini's <c>embedContent</c>, <c>batchEmbedContents</c> and <c>countTokens</c>, as the gateway's passthrough calls them.</summary>
public sealed class GeminiEmbedAndCountTests
{
    private static readonly (string, string)[] Key = [("x-goog-api-key", "test-key")];

    [Fact]
    public async Task BatchEmbedContents_OneUnitVectorPerRequest_SameAsOpenAIsForTheSameText()
    {
        using var client = Emu.Client();
        using var response = await Emu.SendAsync(client, "v1beta/models/gemini-embedding-001:batchEmbedContents", """
            {"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"alpha"}]},"outputDimensionality":16},
                         {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"beta"}]},"outputDimensionality":16}]}
            """, Key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Emu.ReadJsonAsync(response);
        var vectors = body["embeddings"]!.AsArray().Select(e => e!["values"]!.AsArray().Select(v => (float)v!).ToArray()).ToList();
        Assert.Equal(2, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(16, v.Length));
        Assert.Equal(1.0, Math.Sqrt(vectors[0].Sum(v => (double)v * v)), 3);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.Null(body["usageMetadata"]);

        using var openAI = await Emu.SendAsync(client, "v1/embeddings", """{"model":"gemini-embedding-001","input":"alpha","dimensions":16}""");
        var same = (await Emu.ReadJsonAsync(openAI))["data"]![0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
        Assert.Equal(same, vectors[0]);
    }

    [Fact]
    public async Task EmbedContent_OneVector_AndWithoutAKey_403()
    {
        using var client = Emu.Client();
        using var response = await Emu.SendAsync(client, "v1beta/models/gemini-embedding-001:embedContent", """{"content":{"parts":[{"text":"solo"}]}}""", Key);
        var body = await Emu.ReadJsonAsync(response);
        Assert.Equal(1536, body["embedding"]!["values"]!.AsArray().Count);

        using var keyless = await Emu.SendAsync(client, "v1beta/models/gemini-embedding-001:embedContent", """{"content":{"parts":[{"text":"solo"}]}}""");
        Assert.Equal(HttpStatusCode.Forbidden, keyless.StatusCode);
    }

    [Fact]
    public async Task CountTokens_KnobOrEstimate_ForContentsOrAWrappedRequest()
    {
        using var client = Emu.Client();
        using var knob = await Emu.SendAsync(client, "v1beta/models/gemini-2.5-flash:countTokens", """{"contents":[{"role":"user","parts":[{"text":"hi\n#emulator prompt_tokens=42"}]}]}""", Key);
        Assert.Equal(42, (int)(await Emu.ReadJsonAsync(knob))["totalTokens"]!);

        using var wrapped = await Emu.SendAsync(client, "v1beta/models/gemini-2.5-flash:countTokens", """{"generateContentRequest":{"model":"models/gemini-2.5-flash","contents":[{"role":"user","parts":[{"text":"a few words here"}]}]}}""", Key);
        Assert.Equal(HttpStatusCode.OK, wrapped.StatusCode);
        Assert.InRange((int)(await Emu.ReadJsonAsync(wrapped))["totalTokens"]!, 1, 20);
    }
}
