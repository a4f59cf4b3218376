using System.Text;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Dialects.Tests.Responses;

/// <summary>The Responses kind of <see cref="OpenAIRequestReader"/>: the members the gateway reads, once each.</summary>
public sealed class ResponsesRequestReaderTests
{
    [Fact]
    public void Read_Responses_ReadsOutputLimitPreviousIdAndStore()
    {
        var request = Read("""{"model":"gpt-5","input":"hi","max_output_tokens":300,"previous_response_id":"resp_1","store":false,"stream":true}""");

        Assert.Null(request.Error);
        Assert.Equal(300, request.MaxTokens);
        Assert.Equal("resp_1", request.PreviousResponseId);
        Assert.False(request.Store);
        Assert.True(request.Stream);
    }

    [Fact]
    public void Read_NoStore_DefaultsToStored()
    {
        Assert.True(Read("""{"model":"m","input":"hi"}""").Store);
    }

    [Fact]
    public void Read_PreviousIdWithoutInput_IsValid()
    {
        Assert.Null(Read("""{"model":"m","previous_response_id":"resp_1"}""").Error);
        Assert.Equal("input", Read("""{"model":"m"}""").ErrorParam);
    }

    [Theory]
    [InlineData("input")]
    [InlineData("instructions")]
    [InlineData("tools")]
    [InlineData("max_output_tokens")]
    [InlineData("previous_response_id")]
    [InlineData("text")]
    [InlineData("reasoning")]
    [InlineData("store")]
    [InlineData("tool_choice")]
    public void Read_RepeatedMember_IsRefusedNamingIt(string member)
    {
        var value = member switch { "max_output_tokens" => "5", "store" => "true", "tools" => "[]", "text" or "reasoning" => "{}", _ => "\"x\"" };
        var request = Read($$"""{"model":"m","input":"hi","{{member}}":{{value}},"{{member}}":{{value}}}""".Replace("\"input\":\"hi\",\"input\"", "\"input\"", StringComparison.Ordinal));

        Assert.Equal(member, request.ErrorParam);
        Assert.Contains("more than once", request.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RepeatedTools_InChat_IsStillAccepted()
    {
        // Chat's tools are the provider's to read; only the Responses translation reads them in the gateway.
        var request = OpenAIRequestReader.Read("""{"model":"m","messages":[],"tools":[],"tools":[]}"""u8, OpenAIRequestReader.Kind.Chat);

        Assert.Null(request.Error);
    }

    private static OpenAIRequest Read(string body) => OpenAIRequestReader.Read(Encoding.UTF8.GetBytes(body), OpenAIRequestReader.Kind.Responses);
}
