using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary><c>/v1/chat/completions</c> reaching an Anthropic upstream (the emulator speaking the Messages API).</summary>
public sealed class ChatToAnthropicTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Chat_Text_TranslatedWithUsageAndCost()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new object[]
            {
                new { role = "system", content = "Be brief." },
                new { role = "user", content = "#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=100\nHello there" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        var choice = body["choices"]![0]!;
        Assert.Equal("Echo: Hello there", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        var usage = body["usage"]!;
        Assert.Equal(1000, usage["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(400, usage["prompt_tokens_details"]!["cached_tokens"]!.GetValue<long>());
        Assert.Equal(100, usage["completion_tokens"]!.GetValue<long>());

        // claude-sonnet-4-5: 600 uncached * $3/M + 400 cache reads * $0.30/M + 100 output * $15/M
        // = 0.0018 + 0.00012 + 0.0015 = 0.00342
        Assert.Equal(0.00342m, usage["cost"]!.GetValue<decimal>());
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(0.00342m, entry["cost"]!.GetValue<decimal>());
        Assert.Equal("anthropic/claude-sonnet-4-5", entry["model"]!.GetValue<string>());
        Assert.Equal(600, entry["usage"]!["input_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Chat_PromptPast200K_WholeRequestAtLongContextRates()
    {
        var (_, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new[] { new { role = "user", content = "#emulator prompt_tokens=250000 cached_tokens=50000 completion_tokens=1000\nLong" } },
        });

        // 250,000 prompt tokens > 200K: every token at the long-context rates of claude-sonnet-4-5:
        // 200,000 uncached * $6/M = 1.2; 50,000 cache reads * $0.60/M = 0.03; 1,000 output * $22.50/M = 0.0225; total 1.2525
        Assert.Equal(1.2525m, body["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_CacheWrites5mAnd1h_EachAtItsRate(bool stream)
    {
        const string text = "#emulator prompt_tokens=10000 cached_tokens=1000 cache_write_5m_tokens=2000 cache_write_1h_tokens=3000 completion_tokens=100\nCache me";
        var messages = new[] { new { role = "user", content = text } };

        // claude-sonnet-4-5: uncached 10000-1000-2000-3000 = 4000 * $3/M = 0.012; reads 1000 * $0.30/M = 0.0003;
        // 5m writes 2000 * $3.75/M = 0.0075; 1h writes 3000 * $6/M = 0.018; output 100 * $15/M = 0.0015; total 0.0393
        HttpResponseMessage response;
        JsonNode usage;
        if (stream)
        {
            (response, var events) = await _gateway.PostStreamAsync("/v1/chat/completions", new { model = "anthropic/claude-sonnet-4-5", stream = true, stream_options = new { include_usage = true }, messages });
            usage = JsonNode.Parse(events[^2].Data)!["usage"]!;
        }
        else
        {
            (response, var body) = await _gateway.PostJsonAsync("/v1/chat/completions", new { model = "anthropic/claude-sonnet-4-5", messages });
            usage = body["usage"]!;
        }

        Assert.Equal(10000, usage["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(0.0393m, usage["cost"]!.GetValue<decimal>());
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(0.0393m, entry["cost"]!.GetValue<decimal>());
        Assert.Equal(5000, entry["usage"]!["cache_write_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Chat_StreamWithToolThroughOpenAISdk_ToolNameAndArgumentsReassembled()
    {
        var client = OpenAIClientFor("anthropic/claude-haiku-4-5");
        var tool = ChatTool.CreateFunctionTool(
            "get_weather", "Weather in a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };

        string? id = null;
        string? name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                id ??= call.ToolCallId;
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.StartsWith("toolu_", id);
        Assert.Equal("get_weather", name);
        Assert.Equal("""{"city":"test","days":1}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task Chat_Stream_ChunksInOrderUsageChunkOnlyWhenAskedAndDoneAtEnd()
    {
        var request = new
        {
            model = "anthropic/claude-sonnet-4-5",
            stream = true,
            messages = new[] { new { role = "user", content = "#emulator prompt_tokens=1000 completion_tokens=500\nOne two three" } },
        };
        var (response, events) = await _gateway.PostStreamAsync("/v1/chat/completions", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.Take(events.Count - 1).Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        var text = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["delta"]?["content"]?.GetValue<string>()));
        Assert.Equal("Echo: One two three", text);
        Assert.DoesNotContain(chunks, c => c["usage"] is JsonObject);
        Assert.Equal("stop", chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["finish_reason"]?.GetValue<string>()).Last(f => f is not null));

        // Usage is still parsed for the ledger: 1000 * $3/M + 500 * $15/M = 0.003 + 0.0075 = 0.0105
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(0.0105m, entry["cost"]!.GetValue<decimal>());
        Assert.False(entry["estimated"]?.GetValue<bool>() ?? false);

        var (_, withUsage) = await _gateway.PostStreamAsync("/v1/chat/completions", new
        {
            request.model,
            stream = true,
            stream_options = new { include_usage = true },
            request.messages,
        });
        var usageChunk = JsonNode.Parse(withUsage[^2].Data)!;
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(0.0105m, usageChunk["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Chat_UpstreamRateLimited_OpenAIErrorShapeWithRetryAfter()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new[] { new { role = "user", content = "#emulator status=429 retry_after=7\nHi" } },
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.NotNull(body["error"]!["message"]);
        Assert.NotNull(body["error"]!["type"]);
        Assert.DoesNotContain(DialectGateway.AnthropicKey, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ReplayedRecording_ContentAndUsageFromTheRecording()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new[] { new { role = "user", content = "#emulator replay=anthropic/anthropic-text\nHi" } },
        });

        var recording = JsonNode.Parse(File.ReadAllText(Path.Combine(DialectGateway.RecordingsDirectory, "anthropic", "anthropic-text.json")))!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(recording["content"]![0]!["text"]!.GetValue<string>(), body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(recording["usage"]!["output_tokens"]!.GetValue<long>(), body["usage"]!["completion_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Chat_UnsupportedParameter_DroppedAndNamedInHeader()
    {
        var (response, _) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            seed = 7,
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("seed", response.Headers.GetValues("x-tollgate-dropped-params").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_UnsupportedParameterUnderRejectPolicy_400NamingIt()
    {
        await using var strict = await DialectGateway.StartAsync(UnsupportedParameterPolicy.Reject);
        var (response, body) = await strict.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            seed = 7,
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("seed", body["error"]!["param"]!.GetValue<string>());
        Assert.Contains("seed", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private ChatClient OpenAIClientFor(string model) =>
        new(model, new ApiKeyCredential(DialectGateway.MasterKey), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") });
}
