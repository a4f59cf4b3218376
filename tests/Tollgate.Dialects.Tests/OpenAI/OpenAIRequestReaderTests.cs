using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Dialects.Tests.OpenAI;

public sealed class OpenAIRequestReaderTests
{
    private static OpenAIRequest Chat(string json) => OpenAIRequestReader.Read(Encoding.UTF8.GetBytes(json), OpenAIRequestReader.Kind.Chat);

    private static string Rewrite(string json, string upstreamModel)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat);
        Assert.Null(request.Error);
        var output = new ArrayBufferWriter<byte>();
        OpenAIRequestReader.Rewrite(body, request, JsonEncodedText.Encode(upstreamModel), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Read_ChatRequest_FindsModelStreamAndLimits()
    {
        var r = Chat("""{"model":"groq/openai/gpt-oss-120b","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":50,"max_completion_tokens":70}""");
        Assert.Null(r.Error);
        Assert.Equal("groq/openai/gpt-oss-120b", r.Model);
        Assert.True(r.Stream);
        Assert.True(r.ClientIncludeUsage);
        Assert.Equal(70, r.MaxTokens);
    }

    [Theory]
    [InlineData("{\"model\":\"m\",\"messages\":[]", null)]
    [InlineData("not json", null)]
    [InlineData("[]", null)]
    [InlineData("{\"messages\":[]}", "model")]
    [InlineData("{\"model\":5,\"messages\":[]}", "model")]
    [InlineData("{\"model\":\"\",\"messages\":[]}", "model")]
    [InlineData("{\"model\":\"m\"}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":\"hi\"}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}", "stream")]
    [InlineData("{\"model\":\"m\",\"messages\":[],\"max_tokens\":-1}", "max_tokens")]
    [InlineData("{\"model\":\"m\",\"messages\":[]} trailing", null)]
    [InlineData("", null)]
    public void Read_BadRequest_ReportsErrorAndParam(string json, string? param)
    {
        var r = Chat(json);
        Assert.NotNull(r.Error);
        Assert.Equal(param, r.ErrorParam);
    }

    [Fact]
    public void Read_Embeddings_RequiresInput()
    {
        var missing = OpenAIRequestReader.Read("{\"model\":\"m\"}"u8, OpenAIRequestReader.Kind.Embeddings);
        Assert.Equal("input", missing.ErrorParam);
        var ok = OpenAIRequestReader.Read("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}"u8, OpenAIRequestReader.Kind.Embeddings);
        Assert.Null(ok.Error);
    }

    [Fact]
    public void Rewrite_NonStreaming_ChangesOnlyTheModel()
    {
        const string body = """{"model":"openai/gpt-4o","messages":[{"role":"user","content":"model: \"x\""}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"n":2,"seed":7}""";
        var rewritten = Rewrite(body, "gpt-4o");
        Assert.Equal(body.Replace("\"openai/gpt-4o\"", "\"gpt-4o\"", StringComparison.Ordinal), rewritten);
    }

    [Fact]
    public void Rewrite_StreamWithoutOptions_AddsIncludeUsage()
    {
        var rewritten = JsonNode.Parse(Rewrite("""{"model":"a/b","stream":true,"messages":[]}""", "b"))!;
        Assert.Equal("b", (string?)rewritten["model"]);
        Assert.True((bool)rewritten["stream_options"]!["include_usage"]!);
        Assert.True((bool)rewritten["stream"]!);
    }

    [Fact]
    public void Rewrite_StreamWithOptionsFalse_ForcesIncludeUsage()
    {
        var raw = Rewrite("""{"stream_options":{"include_usage":false},"model":"a/b","stream":true,"messages":[]}""", "b");
        var rewritten = JsonNode.Parse(raw)!;
        Assert.True((bool)rewritten["stream_options"]!["include_usage"]!);
        Assert.Single((JsonObject)rewritten, kv => kv.Key == "stream_options");
    }

    [Fact]
    public void Rewrite_ModelWithCharactersToEscape_IsValidJson()
    {
        var rewritten = JsonNode.Parse(Rewrite("""{"model":"p/m","messages":[]}""", "we\"ird/\u00e9"))!;
        Assert.Equal("we\"ird/\u00e9", (string?)rewritten["model"]);
    }

    [Fact]
    public void PromptRange_CoversTheMessagesArray()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"hello"}]}""");
        var r = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat);
        Assert.Equal("""[{"role":"user","content":"hello"}]""", Encoding.UTF8.GetString(body.AsSpan()[r.PromptRange]));
    }

    [Theory]
    [InlineData("\"flex\"", Tollgate.Core.Pricing.ServiceTier.Flex)]
    [InlineData("\"priority\"", Tollgate.Core.Pricing.ServiceTier.Priority)]
    [InlineData("\"auto\"", Tollgate.Core.Pricing.ServiceTier.Standard)]
    [InlineData("null", Tollgate.Core.Pricing.ServiceTier.Standard)]
    public void Read_ServiceTier_PicksThePricedTier(string value, Tollgate.Core.Pricing.ServiceTier expected)
    {
        var r = Chat("{\"model\":\"m\",\"messages\":[],\"service_tier\":" + value + "}");
        Assert.Null(r.Error);
        Assert.Equal(expected, r.ServiceTier);
    }

    [Theory]
    [InlineData("""{"model":"a","model":"b","messages":[]}""", "model")]
    [InlineData("""{"model":"a","messages":[],"max_tokens":1,"max_tokens":100000}""", "max_tokens")]
    [InlineData("""{"model":"a","stream":false,"messages":[],"stream":true}""", "stream")]
    [InlineData("""{"model":"a","messages":[],"messages":[{"role":"user","content":"x"}]}""", "messages")]
    public void Read_RepeatedMember_IsRefused(string json, string param)
    {
        var r = Chat(json);
        Assert.NotNull(r.Error);
        Assert.Equal(param, r.ErrorParam);
    }

    [Theory]
    [InlineData("""{"models":["x/y","z"],"model":"m","messages":[]}""", """{"model":"up","messages":[]}""")]
    [InlineData("""{"model":"m","models":["x/y","z"],"messages":[]}""", """{"model":"up","messages":[]}""")]
    [InlineData("""{"model":"m","messages":[],"models":["x/y","z"]}""", """{"model":"up","messages":[]}""")]
    [InlineData("""{ "model" : "m" , "models" : [ "x/y" , "z" ] ,"messages":[]}""", """{ "model" : "up" ,"messages":[]}""")]
    public void Rewrite_FallbackModels_AreReadAndCutOut(string json, string expected)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat);
        Assert.Null(request.Error);
        Assert.Equal(["x/y", "z"], request.FallbackModels);
        Assert.Equal(expected, Rewrite(json, "up"));
        Assert.NotNull(JsonNode.Parse(Rewrite(json, "up")));
    }

    [Fact]
    public void Read_Messages_FindsMaxTokens()
    {
        var r = OpenAIRequestReader.Read("""{"model":"claude","max_tokens":9,"messages":[]}"""u8, OpenAIRequestReader.Kind.Messages);
        Assert.Null(r.Error);
        Assert.Equal(9, r.MaxTokens);
    }

    [Fact]
    public void Rewrite_MessagesStream_AddsNoStreamOptions()
    {
        var body = """{"model":"claude","max_tokens":5,"stream":true,"messages":[]}"""u8.ToArray();
        var request = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Messages);
        var output = new ArrayBufferWriter<byte>();
        OpenAIRequestReader.Rewrite(body, request, JsonEncodedText.Encode("claude-up"), output);
        Assert.Equal("""{"model":"claude-up","max_tokens":5,"stream":true,"messages":[]}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Read_UnpairedSurrogateEscape_IsRefused()
    {
        Assert.NotNull(Chat("""{"model":"m","messages":[{"role":"user","content":"a\ud800b"}]}""").Error);
        Assert.Null(Chat("""{"model":"m","messages":[{"role":"user","content":"\ud83d\ude00"}]}""").Error);
    }

    [Fact]
    public void Read_InvalidUtf8_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"ab"}]}""");
        body[Array.IndexOf(body, (byte)'a')] = 0xFF;
        Assert.NotNull(OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat).Error);
    }
}
