using System.Text;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Settlement;

namespace Tollgate.Gateway.Tests.Admission;

/// <summary>Each rule of the admission bound on a prompt, by hand: what it adds to the tokenizer count of the text.</summary>
public sealed class PromptBoundTests
{
    [Fact]
    public void Messages_PlainText_SameAsTheTokenizerCount()
    {
        var bound = TokenEstimator.BoundPrompt("[{\"role\":\"user\",\"content\":\"Hello\"}]"u8);

        // "user" 1 + "Hello" 1 + 4 per message.
        Assert.Equal(new PromptBound(6, 0), bound);
    }

    [Fact]
    public void TokenArrays_EachNumberIsOneToken_ArraysOfArraysToo()
    {
        Assert.Equal(3, TokenEstimator.BoundPrompt("[101,202,303]"u8).Tokens);
        Assert.Equal(5, TokenEstimator.BoundPrompt("[[1,2,3],[4,5]]"u8).Tokens);

        // Before: numbers counted nothing, so an embeddings input of 10,000 token ids was admitted as free.
        Assert.Equal(0, TokenEstimator.CountPrompt("[[1,2,3],[4,5]]"u8));
    }

    [Fact]
    public void ImageUrlPart_CountsOneImageAndNotItsUrl()
    {
        var data = "data:image/png;base64," + new string('A', 40_000);
        var withImage = Encoding.UTF8.GetBytes($$$"""[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"{{{data}}}","detail":"high"}}]}]""");
        var withoutImage = """[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url"}]}]"""u8;

        var bound = TokenEstimator.BoundPrompt(withImage);

        Assert.Equal(1, bound.Images);
        Assert.Equal(TokenEstimator.CountPrompt(withoutImage), bound.Tokens);
        Assert.Equal(bound.Tokens + 8_000, bound.On("demo/cheap"));
        Assert.Equal(bound.Tokens + 48_169, bound.On("openai/gpt-4o-mini"));
    }

    [Fact]
    public void ImageUrlAsString_ResponsesShape_CountsOneImage()
    {
        var bound = TokenEstimator.BoundPrompt("""[{"role":"user","content":[{"type":"input_image","image_url":"https://example.com/a.png"}]}]"""u8);

        Assert.Equal(1, bound.Images);
    }

    [Fact]
    public void AudioAndFileParts_OneTokenPerBase64Character()
    {
        var audio = new string('Q', 10_000);
        var file = new string('J', 6_000);
        var json = Encoding.UTF8.GetBytes($$$"""[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{audio}}}","format":"wav"}},{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,{{{file}}}"}}]}]""");
        var rest = """[{"role":"user","content":[{"type":"input_audio","input_audio":{"format":"wav"}},{"type":"file","file":{"filename":"a.pdf"}}]}]"""u8;

        var bound = TokenEstimator.BoundPrompt(json);

        Assert.Equal(TokenEstimator.CountPrompt(rest) + 10_000 + 6_000 + "data:application/pdf;base64,".Length, bound.Tokens);
        Assert.Equal(0, bound.Images);
    }

    [Fact]
    public void ToolDefinitions_CountTheirNamesAndStrings()
    {
        var tools = """[{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""u8;
        var names = """["type","function","name","description","parameters","type","properties","city","type"]"""u8;

        var bound = TokenEstimator.BoundPrompt(tools, names: true);

        Assert.Equal(TokenEstimator.CountPrompt(tools) + TokenEstimator.CountPrompt(names), bound.Tokens);
        Assert.True(bound.Tokens > 20, $"{bound.Tokens}");
    }

    [Fact]
    public void VeryLargeText_CountsOneTokenPerByteWithoutTheTokenizer()
    {
        // "word " tokenizes to one token per 5 bytes; past the tokenizer's share a string counts its bytes.
        var big = string.Concat(Enumerable.Repeat("word ", (TokenEstimator.TokenizedBytesPerRequest / 5) + 1));
        var json = Encoding.UTF8.GetBytes($$$"""["{{{big}}}"]""");

        Assert.Equal(big.Length, TokenEstimator.BoundPrompt(json).Tokens);
        Assert.True(TokenEstimator.CountPrompt(json) < big.Length / 4);
    }

    [Fact]
    public void LongWord_CountsOneTokenPerByte()
    {
        // One word of 10,000 bytes: the tokenizer's merges would cost more than linear time, the byte count is a bound.
        var word = new string('x', 10_000);

        Assert.Equal(10_000, TokenEstimator.BoundPrompt(Encoding.UTF8.GetBytes($$$"""["{{{word}}}"]""")).Tokens);
    }

    [Fact]
    public void TokenizerShare_IsPerRequest_LaterStringsCountBytes()
    {
        var half = string.Concat(Enumerable.Repeat("word ", (TokenEstimator.TokenizedBytesPerRequest / 10) + 2));
        var json = Encoding.UTF8.GetBytes($$$"""["{{{half}}}","{{{half}}}"]""");
        var one = TokenEstimator.CountPrompt(Encoding.UTF8.GetBytes($$$"""["{{{half}}}"]"""));

        Assert.Equal(one + half.Length, TokenEstimator.BoundPrompt(json).Tokens);
    }

    [Fact]
    public void ChatDefinitions_AreTheToolsFunctionsAndResponseFormatSlices()
    {
        var body = """{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function"}],"max_tokens":5,"functions":[{"name":"f"}],"response_format":{"type":"json_schema","json_schema":{"name":"s"}}}"""u8.ToArray();

        var parts = OpenAIInbound.Definitions(body, out var choices).Select(p => Encoding.UTF8.GetString(p.Span)).ToList();

        Assert.Equal(1, choices);
        Assert.Equal(["""[{"type":"function"}]""", """[{"name":"f"}]""", """{"type":"json_schema","json_schema":{"name":"s"}}"""], parts);
    }

    [Theory]
    [InlineData("""{"n":4,"messages":[]}""", 4)]
    [InlineData("""{"n":2.5,"messages":[]}""", 3)]
    [InlineData("""{"n":0,"messages":[]}""", 1)]
    [InlineData("""{"n":1e300,"messages":[]}""", OpenAIInbound.MaxChoices)]
    [InlineData("""{"messages":[]}""", 1)]
    public void ChatChoices_IsNRoundedUpWithinBounds(string body, long expected)
    {
        OpenAIInbound.Definitions(Encoding.UTF8.GetBytes(body), out var choices);

        Assert.Equal(expected, choices);
    }
}
