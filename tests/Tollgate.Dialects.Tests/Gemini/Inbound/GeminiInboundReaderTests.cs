using System.Text;
using Tollgate.Dialects.Gemini.Inbound;

namespace Tollgate.Dialects.Tests.Gemini.Inbound;

public sealed class GeminiInboundReaderTests
{
    [Fact]
    public void Read_GenerateContent_ModelFromTheUrlAndTheOutputBound()
    {
        var request = GeminiInboundReader.Read("""{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"temperature":1,"maxOutputTokens":321}}"""u8, "gemini-2.5-flash", GeminiCall.GenerateContent, stream: true);
        Assert.Null(request.Error);
        Assert.Equal("gemini-2.5-flash", request.Model);
        Assert.Equal(321, request.MaxTokens);
        Assert.True(request.Stream);
    }

    [Theory]
    [InlineData("""{"contents":[],"contents":[]}""", "contents")]
    [InlineData("""{"contents":[],"generationConfig":{},"generation_config":{}}""", "generation_config")]
    [InlineData("""{"contents":[],"generationConfig":{"maxOutputTokens":5,"maxOutputTokens":50000}}""", "generationConfig.maxOutputTokens")]
    [InlineData("""{"contents":[],"systemInstruction":{},"system_instruction":{}}""", "system_instruction")]
    public void Read_RepeatedMembersTheGatewayReads_AreRefused(string json, string param)
    {
        var request = GeminiInboundReader.Read(Encoding.UTF8.GetBytes(json), "m", GeminiCall.GenerateContent, stream: false);
        Assert.Contains("more than once", request.Error, StringComparison.Ordinal);
        Assert.Equal(param, request.ErrorParam);
    }

    [Theory]
    [InlineData("""{"generationConfig":{}}""", GeminiCall.GenerateContent, "contents")]
    [InlineData("""{"contents":[]}""", GeminiCall.EmbedContent, "content")]
    [InlineData("""{"content":{}}""", GeminiCall.BatchEmbedContents, "requests")]
    [InlineData("""{"contents":[],"generationConfig":{"maxOutputTokens":-1}}""", GeminiCall.GenerateContent, "generationConfig.maxOutputTokens")]
    [InlineData("""[]""", GeminiCall.GenerateContent, null)]
    [InlineData("""{"contents":[]} x""", GeminiCall.GenerateContent, null)]
    public void Read_InvalidRequests_AreRefused(string json, GeminiCall call, string? param)
    {
        var request = GeminiInboundReader.Read(Encoding.UTF8.GetBytes(json), "m", call, stream: false);
        Assert.NotNull(request.Error);
        Assert.Equal(param, request.ErrorParam);
    }

    [Fact]
    public void Read_CountTokensWrappingARequest_IsValid()
    {
        var request = GeminiInboundReader.Read("""{"generateContentRequest":{"model":"models/m","contents":[]}}"""u8, "m", GeminiCall.CountTokens, stream: false);
        Assert.Null(request.Error);
        Assert.False(request.Stream);
    }
}
