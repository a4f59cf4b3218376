using System.Buffers.Binary;

namespace Tollgate.Emulator.Tests.Embeddings;

public sealed class EmbeddingsTests
{
    private static async Task<JsonObject> EmbedAsync(HttpClient client, string body)
    {
        using var response = await Emu.SendAsync(client, "v1/embeddings", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Emu.ReadJsonAsync(response);
    }

    private static float[] Vector(JsonNode item) => item["embedding"]!.AsArray().Select(v => (float)v!).ToArray();

    [Fact]
    public async Task Embeddings_SingleString_OpenAiShapeUnitVector()
    {
        using var client = Emu.Client();
        var body = await EmbedAsync(client, """{"model":"text-embedding-3-small","input":"hello there"}""");

        Assert.Equal("list", (string)body["object"]!);
        Assert.Equal("text-embedding-3-small", (string)body["model"]!);
        var item = body["data"]!.AsArray().Single()!;
        Assert.Equal("embedding", (string)item["object"]!);
        Assert.Equal(0, (int)item["index"]!);
        var vector = Vector(item);
        Assert.Equal(1536, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);

        // ceil(11 chars / 4) = 3 tokens.
        Assert.Equal(3, (long)body["usage"]!["prompt_tokens"]!);
        Assert.Equal(3, (long)body["usage"]!["total_tokens"]!);
    }

    [Fact]
    public async Task Embeddings_SameInputTwice_SameVectorAndDifferentInputDiffers()
    {
        using var client = Emu.Client();
        var a = await EmbedAsync(client, """{"model":"e","input":["alpha","beta"],"dimensions":16}""");
        var b = await EmbedAsync(client, """{"model":"e","input":["alpha"],"dimensions":16}""");

        var data = a["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal(1, (int)data[1]!["index"]!);
        Assert.Equal(16, Vector(data[0]!).Length);
        Assert.Equal(Vector(data[0]!), Vector(b["data"]![0]!));
        Assert.NotEqual(Vector(data[0]!), Vector(data[1]!));
    }

    [Fact]
    public async Task Embeddings_Base64Format_DecodesToTheFloatVector()
    {
        using var client = Emu.Client();
        var floats = Vector((await EmbedAsync(client, """{"model":"e","input":"x","dimensions":8}"""))["data"]![0]!);
        var encoded = (string)(await EmbedAsync(client, """{"model":"e","input":"x","dimensions":8,"encoding_format":"base64"}"""))["data"]![0]!["embedding"]!;

        var bytes = Convert.FromBase64String(encoded);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(floats, decoded);
    }

    [Fact]
    public async Task Embeddings_PromptTokensKnobAndTokenArrays_ReportedExactly()
    {
        using var client = Emu.Client();
        var knob = await EmbedAsync(client, """{"model":"e","input":"x","dimensions":4,"emulator":{"prompt_tokens":999}}""");
        var tokens = await EmbedAsync(client, """{"model":"e","input":[[1,2,3],[4,5]],"dimensions":4}""");

        Assert.Equal(999, (long)knob["usage"]!["prompt_tokens"]!);
        Assert.Equal(999, (long)knob["usage"]!["total_tokens"]!);
        Assert.Equal(5, (long)tokens["usage"]!["prompt_tokens"]!); // 3 + 2 tokens
    }

    [Theory]
    [InlineData("""{"model":"e"}""", "input")]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"e","input":[true]}""", "input")]
    [InlineData("""{"model":"e","input":"x","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"e","input":"x","encoding_format":"hex"}""", "encoding_format")]
    public async Task Embeddings_InvalidRequest_Returns400NamingParam(string body, string param)
    {
        using var client = Emu.Client();
        using var response = await Emu.SendAsync(client, "v1/embeddings", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await Emu.ReadJsonAsync(response))["error"]!;
        Assert.Equal("invalid_request_error", (string)error["type"]!);
        Assert.Equal(param, (string)error["param"]!);
    }

    [Fact]
    public async Task Models_Get_ListsConfiguredModels()
    {
        using var client = Emu.Client(new EmulatorOptions { Models = ["alpha", "beta"] });
        using var response = await client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Emu.ReadJsonAsync(response);
        Assert.Equal("list", (string)body["object"]!);
        var data = body["data"]!.AsArray();
        Assert.Equal(["alpha", "beta"], data.Select(m => (string)m!["id"]!));
        Assert.All(data, m => Assert.Equal("model", (string)m!["object"]!));
    }
}
