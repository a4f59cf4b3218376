using System.Net;
using System.Text.Json.Nodes;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary><c>/v1/embeddings</c> to a Gemini deployment: translated to batchEmbedContents, answered in OpenAI's shape, priced.</summary>
[Collection(ModalityCollection.Name)]
public sealed class GeminiEmbeddingTests(ModalityGateway gw)
{
    [Fact]
    public async Task GenerateEmbeddings_GeminiDeploymentThroughSdk_VectorsAndEstimatedCost()
    {
        // The SDK asks for base64; the gateway packs Gemini's floats. "hello world" is 2 tokens, "hello" 1 (o200k).
        var result = await gw.Client().GetEmbeddingClient("gemini/gemini-embedding-001").GenerateEmbeddingsAsync(["hello world", "hello"], new OpenAI.Embeddings.EmbeddingGenerationOptions { Dimensions = 64 });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.Equal(64, e.ToFloats().Length));
        var norm = Math.Sqrt(result.Value[0].ToFloats().ToArray().Sum(v => (double)v * v));
        Assert.InRange(norm, 0.999, 1.001);
        Assert.NotEqual(result.Value[0].ToFloats().ToArray(), result.Value[1].ToFloats().ToArray());

        // 3 tokens x $0.15/1M = 0.00000045, in the response and in the ledger (marked estimated: Gemini reports none).
        var raw = E2E.RawJson(result);
        Assert.Equal(3, raw["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(0.00000045m, E2E.Cost(raw["usage"]));
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("embeddings", (string?)entry["endpoint"]);
        Assert.Equal("gemini/gemini-embedding-001", (string?)entry["model"]);
        Assert.True(entry["estimated"]!.GetValue<bool>());
        E2E.AssertLedgerUsage(entry, input: 3, cacheRead: 0, output: 0, reasoning: 0, 0.00000045m);
    }

    [Fact]
    public async Task Embeddings_GeminiFloatFormat_FullVectorAsNumbers()
    {
        using var response = await gw.PostAsync("/v1/embeddings", """{"model":"gemini/gemini-embedding-001","input":"hello","encoding_format":"float"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("list", (string?)body["object"]);
        Assert.Equal(1536, body["data"]![0]!["embedding"]!.AsArray().Count); // the emulator's default dimensions
        Assert.Equal("gemini/gemini-embedding-001", (string?)body["model"]);
    }

    [Fact]
    public async Task Embeddings_GeminiTokenArrayInput_400NamingInput()
    {
        using var response = await gw.PostAsync("/v1/embeddings", """{"model":"gemini/gemini-embedding-001","input":[[1,2,3]]}""");
        var error = await E2E.AssertErrorAsync(response, (int)HttpStatusCode.BadRequest);
        Assert.Equal("input", (string?)error["param"]);
    }
}
