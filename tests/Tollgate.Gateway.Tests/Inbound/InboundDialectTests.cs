using System.Text;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Passthrough;
using Xunit;

namespace Tollgate.Gateway.Tests.Inbound;

/// <summary>Each inbound dialect reads once and picks a passthrough for its own dialect, a translation for the others.</summary>
public sealed class InboundDialectTests
{
    private static readonly Route OpenAI = Deployment("openai", UpstreamDialect.OpenAI);
    private static readonly Route Anthropic = Deployment("anthropic", UpstreamDialect.Anthropic);
    private static readonly Route Gemini = Deployment("gemini", UpstreamDialect.Gemini);

    [Fact]
    public void OpenAIChat_SameDialect_IsPassthrough_OtherDialects_AreTranslated()
    {
        var request = Read(OpenAIInbound.Chat, """{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        using var same = OpenAIInbound.Chat.CreateExchange(request, OpenAI, _ => null, 0, out var e1);
        using var other = OpenAIInbound.Chat.CreateExchange(request, Anthropic, _ => null, 0, out var e2);
        Assert.Null(e1);
        Assert.Null(e2);
        Assert.IsType<OpenAIPassthroughExchange>(same);
        Assert.IsType<TranslatedExchange>(other);
    }

    [Fact]
    public void OpenAIEmbeddings_ToAnthropic_IsA400NamingTheProvider_ToGemini_IsTranslated()
    {
        var request = Read(OpenAIInbound.Embeddings, """{"model":"m","input":"hi"}""");
        var exchange = OpenAIInbound.Embeddings.CreateExchange(request, Anthropic, _ => null, 0, out var error);
        Assert.Null(exchange);
        Assert.Equal(400, error!.Status);
        Assert.Equal("unsupported_endpoint", error.Code);
        Assert.Contains("anthropic", error.Message, StringComparison.Ordinal);

        using var gemini = OpenAIInbound.Embeddings.CreateExchange(request, Gemini, _ => null, 0, out var none);
        Assert.Null(none);
        Assert.IsType<Tollgate.Gateway.Upstreams.OpenAIToGeminiEmbeddingsExchange>(gemini);
    }

    [Fact]
    public void AnthropicMessages_TranslatesOnceForEveryAttempt()
    {
        var request = Read(AnthropicInbound.Messages, """{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        using var first = AnthropicInbound.Messages.CreateExchange(request, OpenAI, _ => null, 0, out _);
        var translated = request.OpenAIBody;
        using var second = AnthropicInbound.Messages.CreateExchange(request, Gemini, _ => null, 0, out _);
        using var same = AnthropicInbound.Messages.CreateExchange(request, Anthropic, _ => null, 0, out _);
        Assert.NotNull(translated);
        Assert.Same(translated, request.OpenAIBody);
        Assert.IsType<TranslatedExchange>(second);
        Assert.IsType<AnthropicPassthroughExchange>(same);
    }

    [Fact]
    public void AnthropicMessages_WithoutMaxTokens_FailsValidation()
    {
        var request = Read(AnthropicInbound.Messages, """{"model":"claude","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("max_tokens", AnthropicInbound.Messages.Validate(request)!.Param);
        Assert.Null(AnthropicInbound.CountTokens.Validate(Read(AnthropicInbound.CountTokens, """{"model":"claude","messages":[]}""")));
    }

    [Fact]
    public void CountTokens_OnAnotherDialect_IsAnsweredLocally()
    {
        var request = Read(AnthropicInbound.CountTokens, """{"model":"claude","messages":[{"role":"user","content":"hello there"}]}""");
        var local = AnthropicInbound.CountTokens.AnswerLocally(request, OpenAI);
        Assert.Contains("\"input_tokens\":", Encoding.UTF8.GetString(local!), StringComparison.Ordinal);
        Assert.Null(AnthropicInbound.CountTokens.AnswerLocally(request, Anthropic));
    }

    [Fact]
    public void GeminiGenerate_SameDialect_IsPassthrough_OtherDialects_AreTranslatedOnce()
    {
        var request = ReadGemini(GeminiInbound.Generate, """{"contents":[{"parts":[{"text":"hi"}]}]}""");
        using var same = GeminiInbound.Generate.CreateExchange(request, Gemini, _ => null, 0, out var e1);
        using var first = GeminiInbound.Generate.CreateExchange(request, OpenAI, _ => null, 0, out var e2);
        var translated = request.OpenAIBody;
        using var second = GeminiInbound.Generate.CreateExchange(request, Anthropic, _ => null, 0, out var e3);
        Assert.Null(e1 ?? e2 ?? e3);
        Assert.IsType<GeminiPassthroughExchange>(same);
        Assert.IsType<TranslatedExchange>(first);
        Assert.IsType<TranslatedExchange>(second);
        Assert.Same(translated, request.OpenAIBody);
    }

    [Fact]
    public void GeminiEmbeddings_ToAnthropic_IsA400_ToOpenAI_IsTranslated()
    {
        var request = ReadGemini(GeminiInbound.BatchEmbedContents, """{"requests":[{"content":{"parts":[{"text":"hi"}]}}]}""");
        Assert.Null(GeminiInbound.BatchEmbedContents.CreateExchange(request, Anthropic, _ => null, 0, out var error));
        Assert.Equal("unsupported_endpoint", error!.Code);
        using var openAI = GeminiInbound.BatchEmbedContents.CreateExchange(request, OpenAI, _ => null, 0, out _);
        Assert.IsType<GeminiToOpenAIEmbeddingsExchange>(openAI);
    }

    [Fact]
    public void GeminiCountTokens_OnAnotherDialect_IsAnsweredLocally()
    {
        var request = ReadGemini(GeminiInbound.CountTokens, """{"contents":[{"parts":[{"text":"hello there"}]}]}""");
        Assert.Contains("\"totalTokens\":", Encoding.UTF8.GetString(GeminiInbound.CountTokens.AnswerLocally(request, Anthropic)!), StringComparison.Ordinal);
        Assert.Null(GeminiInbound.CountTokens.AnswerLocally(request, Gemini));
        Assert.True(GeminiInbound.CountTokens.Free);
    }

    [Theory]
    [InlineData("gemini-2.5-flash:generateContent", "gemini-2.5-flash", "generateContent")]
    [InlineData("openai/gpt-4o:streamGenerateContent", "openai/gpt-4o", "streamGenerateContent")]
    [InlineData("openai%2Fgpt-4o:countTokens", "openai/gpt-4o", "countTokens")]
    [InlineData("ollama/llama3:8b:generateContent", "ollama/llama3:8b", "generateContent")]
    public void GeminiPath_SplitsAtTheLastColon(string rest, string model, string method)
    {
        Assert.Equal((model, method), GeminiInbound.SplitPath(rest));
    }

    private static InboundRequest ReadGemini(InboundDialect dialect, string json)
    {
        // The model comes from the URL: /v1beta/models/{id}, id = "gemini-model:method".
        var http = new DefaultHttpContext().Request;
        http.RouteValues["id"] = "gemini-model:method";
        var request = dialect.Read(Encoding.UTF8.GetBytes(json), http, out var error);
        Assert.Null(error);
        Assert.Equal("gemini-model", request!.Model);
        return request;
    }

    private static InboundRequest Read(InboundDialect dialect, string json)
    {
        var request = dialect.Read(Encoding.UTF8.GetBytes(json), new DefaultHttpContext().Request, out var error);
        Assert.Null(error);
        return request!;
    }

    private static Route Deployment(string id, UpstreamDialect dialect) =>
        new(new Upstream(new ProviderSettings { Id = id, BaseUrl = "http://" + id + ".invalid", Dialect = dialect }), "model-" + id, null);
}
