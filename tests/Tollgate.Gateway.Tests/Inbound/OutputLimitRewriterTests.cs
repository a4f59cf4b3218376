using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Inbound;

namespace Tollgate.Gateway.Tests.Inbound;

/// <summary>What a clamped request's body becomes in each inbound dialect: the limit lowered or added, every other byte kept.</summary>
public sealed class OutputLimitRewriterTests
{
    [Theory]
    [InlineData("""{"model":"m","max_tokens":32000,"messages":[]}""", """{"model":"m","max_tokens":3080,"messages":[]}""")]
    [InlineData("""{"model":"m","max_completion_tokens":32000,"messages":[]}""", """{"model":"m","max_completion_tokens":3080,"messages":[]}""")]
    // No limit: the worst case used the model's max output, so the clamp adds one.
    [InlineData("""{"model":"m","messages":[]}""", """{"max_completion_tokens":3080,"model":"m","messages":[]}""")]
    [InlineData("""{"model":"m","max_tokens":null,"messages":[]}""", """{"model":"m","max_tokens":3080,"messages":[]}""")]
    // Both names: the larger one (the one the reader took) is lowered, a smaller one kept.
    [InlineData("""{"model":"m","max_tokens":100,"max_completion_tokens":32000}""", """{"model":"m","max_tokens":100,"max_completion_tokens":3080}""")]
    public void Chat_Limit_LoweredOrAdded(string body, string expected)
    {
        var rewritten = OpenAIInbound.Chat.WithOutputLimit(Encoding.UTF8.GetBytes(body), 3080);

        Assert.Equal(expected, Encoding.UTF8.GetString(rewritten));
        Assert.Equal(3080, OpenAIRequestReader.Read(rewritten, OpenAIRequestReader.Kind.Chat).MaxTokens);
    }

    [Fact]
    public void Messages_MaxTokens_Lowered()
    {
        var body = """{"model":"claude","max_tokens":32000,"messages":[{"role":"user","content":"max_tokens 32000"}],"stream":true}""";

        var rewritten = Encoding.UTF8.GetString(AnthropicInbound.Messages.WithOutputLimit(Encoding.UTF8.GetBytes(body), 1500));

        Assert.Equal("""{"model":"claude","max_tokens":1500,"messages":[{"role":"user","content":"max_tokens 32000"}],"stream":true}""", rewritten);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hi","max_output_tokens":32000}""", """{"model":"m","input":"hi","max_output_tokens":2000}""")]
    [InlineData("""{"model":"m","input":"hi"}""", """{"max_output_tokens":2000,"model":"m","input":"hi"}""")]
    public void Responses_MaxOutputTokens_LoweredOrAdded(string body, string expected)
    {
        var inbound = new ResponsesInbound(null);

        Assert.Equal(expected, Encoding.UTF8.GetString(inbound.WithOutputLimit(Encoding.UTF8.GetBytes(body), 2000)));
    }

    [Theory]
    [InlineData("""{"contents":[],"generationConfig":{"temperature":0.5,"maxOutputTokens":32000}}""", """{"contents":[],"generationConfig":{"temperature":0.5,"maxOutputTokens":2000}}""")]
    [InlineData("""{"contents":[],"generation_config":{"max_output_tokens":32000}}""", """{"contents":[],"generation_config":{"max_output_tokens":2000}}""")]
    [InlineData("""{"contents":[],"generationConfig":{"temperature":0.5}}""", """{"contents":[],"generationConfig":{"maxOutputTokens":2000,"temperature":0.5}}""")]
    [InlineData("""{"contents":[],"generationConfig":{}}""", """{"contents":[],"generationConfig":{"maxOutputTokens":2000}}""")]
    [InlineData("""{"contents":[],"generationConfig":null}""", """{"contents":[],"generationConfig":{"maxOutputTokens":2000}}""")]
    [InlineData("""{"contents":[]}""", """{"generationConfig":{"maxOutputTokens":2000},"contents":[]}""")]
    public void Gemini_MaxOutputTokens_LoweredOrAdded(string body, string expected)
    {
        var rewritten = Encoding.UTF8.GetString(GeminiInbound.Generate.WithOutputLimit(Encoding.UTF8.GetBytes(body), 2000));

        Assert.Equal(expected, rewritten);
        Assert.NotNull(JsonNode.Parse(rewritten));
    }
}
