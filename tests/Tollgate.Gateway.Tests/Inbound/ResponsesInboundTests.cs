using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Passthrough;
using Tollgate.Storage.Responses;
using Xunit;

namespace Tollgate.Gateway.Tests.Inbound;

/// <summary>The Responses dialect: passthrough to OpenAI itself, translation elsewhere, and its stored conversations.</summary>
public sealed class ResponsesInboundTests : IDisposable
{
    private static readonly Route OpenAI = Deployment("openai", UpstreamDialect.OpenAI);
    private static readonly Route Groq = Deployment("groq", UpstreamDialect.OpenAI);
    private static readonly Route Anthropic = Deployment("anthropic", UpstreamDialect.Anthropic);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tollgate-responses-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SqliteResponseStore _store;
    private readonly ResponsesInbound _inbound;

    public ResponsesInboundTests()
    {
        _store = new SqliteResponseStore(Path.Combine(_directory, "tollgate.db"));
        _inbound = new ResponsesInbound(new ResponsesState(_store, _time, TimeSpan.FromDays(30)));
    }

    [Fact]
    public void CreateExchange_OpenAIItselfPassesThrough_OtherOpenAICompatibleAndAnthropicAreTranslated()
    {
        var request = Read("""{"model":"m","input":"hi"}""");

        using var openai = _inbound.CreateExchange(request, OpenAI, _ => null, 0, out _);
        using var groq = _inbound.CreateExchange(request, Groq, _ => null, 0, out _);
        using var anthropic = _inbound.CreateExchange(request, Anthropic, _ => null, 0, out _);

        Assert.IsType<OpenAIResponsesPassthroughExchange>(openai);
        Assert.IsType<TranslatedExchange>(groq);
        Assert.IsType<TranslatedExchange>(anthropic);
    }

    [Fact]
    public void InputTokens_OpenAICounts_OthersAreEstimatedLocally()
    {
        var counter = new ResponsesInbound(null, countTokens: true);
        var context = new DefaultHttpContext();
        var request = counter.Read(Encoding.UTF8.GetBytes("""{"model":"m","instructions":"Be brief.","input":"Hello there, how are you today?"}"""), context.Request, out _)!;

        Assert.True(counter.Free);
        Assert.Equal("responses_input_tokens", counter.Endpoint);
        Assert.Null(counter.AnswerLocally(request, OpenAI));
        using var exchange = counter.CreateExchange(request, OpenAI, _ => null, 0, out _)!;
        using var message = exchange.CreateRequest();
        Assert.Equal("http://openai.invalid/responses/input_tokens", message.RequestUri!.ToString());

        var local = JsonNode.Parse(counter.AnswerLocally(request, Groq)!)!;
        Assert.Equal("response.input_tokens", (string?)local["object"]);
        Assert.InRange((long)local["input_tokens"]!, 8, 30);
        Assert.Null(_inbound.AnswerLocally(Read("""{"model":"m","input":"hi"}"""), Groq));
    }

    [Fact]
    public void CreateExchange_BuiltInToolOffOpenAI_IsA400NamingIt()
    {
        var request = Read("""{"model":"m","input":"hi","tools":[{"type":"file_search","vector_store_ids":["vs_1"]}]}""");

        using var openai = _inbound.CreateExchange(request, OpenAI, _ => null, 0, out var none);
        var groq = _inbound.CreateExchange(request, Groq, _ => null, 0, out var error);

        Assert.Null(none);
        Assert.Null(groq);
        Assert.Equal(400, error!.Status);
        Assert.Equal("unsupported_tool", error.Code);
        Assert.Contains("file_search", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateExchange_InputOnlyOpenAITakes_PassesThroughThereAndIsA400Elsewhere()
    {
        var request = Read("""{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}""");

        using var openai = _inbound.CreateExchange(request, OpenAI, _ => null, 0, out var none);
        var groq = _inbound.CreateExchange(request, Groq, _ => null, 0, out var error);

        Assert.Null(none);
        Assert.IsType<OpenAIResponsesPassthroughExchange>(openai);
        Assert.Null(groq);
        Assert.Equal(400, error!.Status);
        Assert.Equal("input", error.Param);
    }

    [Fact]
    public async Task Passthrough_StreamFinalEvent_HeldBackAndWrittenWithCostAtTheEnd()
    {
        var request = Read("""{"model":"m","input":"hi","stream":true}""");
        using var exchange = (OpenAIResponsesPassthroughExchange)_inbound.CreateExchange(request, OpenAI, u => u.OutputTokens * 0.01m, 0, out _)!;
        var pipe = new Pipe();

        var delta = """{"type":"response.output_text.delta","sequence_number":3,"delta":"Hi"}"""u8;
        Assert.True(exchange.WriteEvent(Sse("response.output_text.delta", delta), delta, pipe.Writer));
        var completed = """{"type":"response.completed","sequence_number":4,"response":{"id":"resp_up","object":"response","status":"completed","output":[],"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":15}}}"""u8;
        Assert.False(exchange.WriteEvent(Sse("response.completed", completed), completed, pipe.Writer));
        Assert.True(exchange.Completed);
        Assert.Equal(6, exchange.Usage!.InputTokens);
        Assert.Equal(4, exchange.Usage.CacheReadTokens);

        exchange.WriteEnd(pipe.Writer, completed: true);
        pipe.Writer.Complete();
        var read = await pipe.Reader.ReadAsync();
        var written = Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer));
        Assert.StartsWith("event: response.output_text.delta\n", written, StringComparison.Ordinal);
        Assert.Contains("event: response.completed\ndata: ", written, StringComparison.Ordinal);
        Assert.Contains("\"cost\":0.05", written, StringComparison.Ordinal);

        // Stored under the upstream's id, for the key that made it.
        Assert.NotNull(_store.Find("resp_up", "master"));
        Assert.Equal("openai", _store.Find("resp_up", "master")!.Upstream);
    }

    [Fact]
    public void Translated_StoredResponse_IsReplayedForItsKeyOnly()
    {
        var first = Read("""{"model":"m","input":"My name is Bob."}""");
        using (var exchange = _inbound.CreateExchange(first, Groq, _ => 0.5m, 0, out _)!)
        using (var body = new PooledBufferWriter(256))
        {
            Assert.True(exchange.TryWriteResponse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello Bob."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"""u8, body));
            var response = JsonNode.Parse(body.WrittenSpan)!;
            Assert.Equal(0.5m, (decimal)response["usage"]!["cost"]!);
            var id = (string)response["id"]!;

            var chained = Read($$"""{"model":"m","input":"Name?","previous_response_id":"{{id}}"}""");
            var messages = JsonNode.Parse(chained.OpenAIBody!)!["messages"]!.AsArray();
            Assert.Equal(["My name is Bob.", "Hello Bob.", "Name?"], messages.Select(static m => m!["content"] is JsonArray parts ? (string)parts[0]!["text"]! : (string)m["content"]!));

            // Another key: the id is unknown to it.
            var other = Read($$"""{"model":"m","input":"Name?","previous_response_id":"{{id}}"}""", new KeyContext("tg-other", false));
            Assert.Single(JsonNode.Parse(other.OpenAIBody!)!["messages"]!.AsArray());
            var refused = _inbound.CreateExchange(other, Groq, _ => null, 0, out var error);
            Assert.Null(refused);
            Assert.Equal(404, error!.Status);
            Assert.Equal("previous_response_not_found", error.Code);
        }
    }

    [Fact]
    public void Store_False_KeepsNothing()
    {
        var request = Read("""{"model":"m","input":"hi","store":false}""");
        using var exchange = _inbound.CreateExchange(request, Groq, _ => null, 0, out _)!;
        using var body = new PooledBufferWriter(256);

        Assert.True(exchange.TryWriteResponse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}]}"""u8, body));
        Assert.Null(_store.Find((string)JsonNode.Parse(body.WrittenSpan)!["id"]!, "master"));
    }

    [Fact]
    public void Store_Purge_RemovesOnlyResponsesPastRetention()
    {
        _store.Save(new StoredResponse("resp_old", "master", null, _time.GetUtcNow().AddDays(-31), "[]", "[]", "{}"));
        _store.Save(new StoredResponse("resp_new", "master", null, _time.GetUtcNow().AddDays(-29), "[]", "[]", "{}"));

        Assert.Equal(1, _store.Purge(_time.GetUtcNow().AddDays(-30)));
        Assert.Null(_store.Find("resp_old", "master"));
        Assert.NotNull(_store.Find("resp_new", "master"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private InboundRequest Read(string json, KeyContext? key = null)
    {
        var context = new DefaultHttpContext();
        ResponsesState.SetKey(context, key ?? KeyContext.Master);
        var request = _inbound.Read(Encoding.UTF8.GetBytes(json), context.Request, out var error);
        Assert.Null(error);
        return request!;
    }

    private static byte[] Sse(string type, ReadOnlySpan<byte> data) => [.. Encoding.UTF8.GetBytes("event: " + type + "\ndata: "), .. data, .. "\n\n"u8];

    private static Route Deployment(string id, UpstreamDialect dialect) =>
        new(new Upstream(new ProviderSettings { Id = id, BaseUrl = "http://" + id + ".invalid", Dialect = dialect }), "model-" + id, null);
}
