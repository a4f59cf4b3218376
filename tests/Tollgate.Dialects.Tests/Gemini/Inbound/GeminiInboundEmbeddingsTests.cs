using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini.Inbound;

namespace Tollgate.Dialects.Tests.Gemini.Inbound;

public sealed class GeminiInboundEmbeddingsTests
{
    [Fact]
    public void TranslateRequest_Batch_OneInputPerRequestWithDimensions()
    {
        var result = GeminiInboundEmbeddings.TranslateRequest("""
            {"requests":[{"model":"models/x","content":{"parts":[{"text":"a"},{"text":"b"}]},"outputDimensionality":8,"taskType":"RETRIEVAL_QUERY"},
                         {"model":"models/x","content":{"parts":[{"text":"c"}]}}]}
            """u8, "text-embedding-3-small", batch: true);
        Assert.True(result.IsSuccess, result.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"model":"text-embedding-3-small","input":["a\nb","c"],"dimensions":8}"""), JsonNode.Parse(result.Body)));
        Assert.Equal(["taskType"], result.UnsupportedParameters);
    }

    [Fact]
    public void TranslateRequest_Single_OneStringInput()
    {
        var result = GeminiInboundEmbeddings.TranslateRequest("""{"content":{"parts":[{"text":"solo"}]}}"""u8, "e", batch: false);
        Assert.Equal("solo", (string?)JsonNode.Parse(result.Body)!["input"]);
    }

    [Fact]
    public void TranslateResponse_VectorsInInputOrderWithTheCost()
    {
        const string openAI = """{"data":[{"index":1,"embedding":[0.3,0.4]},{"index":0,"embedding":[0.1,0.2]}],"usage":{"prompt_tokens":4,"total_tokens":4}}""";
        var batch = JsonNode.Parse(GeminiInboundEmbeddings.TranslateResponse(System.Text.Encoding.UTF8.GetBytes(openAI), batch: true, 0.00000008m))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"embeddings":[{"values":[0.1,0.2]},{"values":[0.3,0.4]}],"tollgate":{"cost":0.00000008}}"""), batch), batch.ToJsonString());
        var single = JsonNode.Parse(GeminiInboundEmbeddings.TranslateResponse(System.Text.Encoding.UTF8.GetBytes(openAI), batch: false, null))!;
        Assert.Equal("[0.1,0.2]", single["embedding"]!["values"]!.ToJsonString());
        Assert.Null(GeminiInboundEmbeddings.TranslateResponse("""{"error":{}}"""u8, batch: true, null));
    }

    [Fact]
    public void TranslateRequest_WithoutContent_IsRefused()
    {
        Assert.False(GeminiInboundEmbeddings.TranslateRequest("""{"requests":[]}"""u8, "e", batch: true).IsSuccess);
        Assert.False(GeminiInboundEmbeddings.TranslateRequest("""{"content":{}}"""u8, "e", batch: false).IsSuccess);
    }
}
