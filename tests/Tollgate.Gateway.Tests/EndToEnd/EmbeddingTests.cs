using System.Net;
using OpenAI.Embeddings;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>Embeddings through the official SDK's <see cref="EmbeddingClient"/>, with cost in the response and the ledger.</summary>
[Collection(GatewayCollection.Name)]
public sealed class EmbeddingTests(GatewayFixture fx)
{
    [Fact]
    public async Task GenerateEmbedding_OneInput_VectorAndCostInResponseAndLedger()
    {
        // The emulator counts a text input as ceil(chars / 4) tokens: 400 chars -> 100 tokens.
        var text = string.Concat(Enumerable.Repeat("toll road ", 40));
        Assert.Equal(400, text.Length);

        var result = await fx.Embeddings("openai/text-embedding-3-small").GenerateEmbeddingAsync(text);
        var vector = result.Value.ToFloats();
        Assert.Equal(1536, vector.Length);
        var norm = Math.Sqrt(vector.ToArray().Sum(v => (double)v * v));
        Assert.InRange(norm, 0.999, 1.001);

        // text-embedding-3-small at 0.02 per 1M: 100 x 0.02 / 1M = 0.000002
        var raw = E2E.RawJson(result);
        Assert.Equal(100, raw["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(0.000002m, E2E.Cost(raw["usage"]));

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("embeddings", (string?)entry["endpoint"]);
        Assert.Equal("openai/text-embedding-3-small", (string?)entry["model"]);
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        E2E.AssertLedgerUsage(entry, input: 100, cacheRead: 0, output: 0, reasoning: 0, 0.000002m);
    }

    [Fact]
    public async Task GenerateEmbeddings_SeveralInputsWithDimensions_EachVectorAndSummedCost()
    {
        // 40 chars -> 10 tokens, 80 chars -> 20 tokens: 30 x 0.02 / 1M = 0.0000006
        var inputs = new[] { new string('a', 40), new string('b', 80) };
        var result = await fx.Embeddings("text-embedding-3-small").GenerateEmbeddingsAsync(inputs, new EmbeddingGenerationOptions { Dimensions = 64 });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.Equal(64, e.ToFloats().Length));
        Assert.NotEqual(result.Value[0].ToFloats().ToArray(), result.Value[1].ToFloats().ToArray());
        Assert.Equal(0.0000006m, E2E.Cost(E2E.RawJson(result)["usage"]));

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        E2E.AssertLedgerUsage(entry, input: 30, cacheRead: 0, output: 0, reasoning: 0, 0.0000006m);
    }

    [Fact]
    public async Task Embeddings_MissingInput_Is400()
    {
        using var response = await fx.PostAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small"}""");
        var error = await E2E.AssertErrorAsync(response, (int)HttpStatusCode.BadRequest);
        Assert.Equal("input", (string?)error["param"]);
    }
}
