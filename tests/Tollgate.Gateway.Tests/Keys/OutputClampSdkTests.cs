using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using OpenAI;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.Dialects;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>
/// The output clamp and over-reporting upstreams end to end: the official Anthropic and OpenAI SDKs against a real
/// gateway on 127.0.0.1 whose providers are an emulator over Kestrel. The emulator's lorem reply is as long as the
/// output limit it receives, so the output tokens it reports are the limit the gateway sent it.
/// </summary>
public sealed class OutputClampSdkTests : IAsyncLifetime
{
    // $3 / $15 per 1M tokens, 64000 max output: 32000 output tokens alone cost $0.48, far past a $0.05 budget.
    private const string Claude = "claude-clamp-5";
    private const string Gpt = "gpt-clamp-5";
    private const string Gemini = "gemini-clamp-5";

    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartWithConfigAsync(static upstream => $$"""
        {
          "providers": {
            "anthropic": { "base_url": "{{upstream}}", "api_key": "sk-ant-test-secret-clamp", "dialect": "anthropic" },
            "openai": { "base_url": "{{upstream}}/v1", "api_key": "sk-openai-test-secret-clamp" },
            "gemini": { "base_url": "{{upstream}}", "api_key": "gemini-test-secret-clamp", "dialect": "gemini" }
          },
          "models": {
            "{{Claude}}": { "deployments": [{ "provider": "anthropic", "model": "{{Claude}}" }], "prices": { "input": 3, "output": 15 }, "max_output": 64000 },
            "{{Gpt}}": { "deployments": [{ "provider": "openai", "model": "{{Gpt}}" }], "prices": { "input": 3, "output": 15 }, "max_output": 64000 },
            "{{Gemini}}": { "deployments": [{ "provider": "gemini", "model": "{{Gemini}}" }], "prices": { "input": 3, "output": 15 }, "max_output": 64000 }
          }
        }
        """);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private AnthropicClient Anthropic(string key) => new(new ClientOptions { ApiKey = key, BaseUrl = _gateway.Address.ToString().TrimEnd('/'), MaxRetries = 0 });

    private ChatClient OpenAI(string key, string model) =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) }).GetChatClient(model);

    [Fact]
    public async Task Messages_ClaudeCodeMaxTokensOnSmallBudget_ClampedAndAnswered()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });
        using var sdk = Anthropic(key);

        var message = await sdk.Messages.Create(new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 32000,
            Messages = [new UserMessageParam("#emulator reply=lorem\nWrite a long story.")],
        });

        // The emulator wrote as many words as the max_tokens it received: the clamped limit, at most $0.05 of output.
        Assert.InRange(message.Usage.OutputTokens, 1024, 3333);
        Assert.Equal("max_tokens", message.StopReason?.Raw());
        var spent = await SpentAsync(key);
        Assert.True(spent <= 0.05m, $"spent {spent}");
    }

    [Fact]
    public async Task Messages_Clamped_HeadersNameTheLimitTheEmulatorReceived()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });

        using var raw = await _gateway.PostAsync("/v1/messages", Body(Claude, 32000, "#emulator reply=lorem\nWrite a long story."), key);

        var answer = JsonNode.Parse(await raw.Content.ReadAsStringAsync())!;
        Assert.True(raw.StatusCode == HttpStatusCode.OK, answer.ToJsonString());
        var clamped = long.Parse(raw.Headers.GetValues("x-tollgate-max-tokens-clamped").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("32000", raw.Headers.GetValues("x-tollgate-max-tokens-requested").Single());
        Assert.InRange(clamped, 1024, 3333);
        Assert.Equal(clamped, (long)answer["usage"]!["output_tokens"]!);
        Assert.True(await SpentAsync(key) <= 0.05m);

        // What is left after that answer does not cover the minimum: the next request is refused, not clamped further.
        using var next = await _gateway.PostAsync("/v1/messages", Body(Claude, 32000, "#emulator reply=lorem\nAgain."), key);
        Assert.Equal(HttpStatusCode.PaymentRequired, next.StatusCode);
    }

    [Fact]
    public async Task Messages_ClampFalse_Refused402AndNotSent()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05, clamp = false } });
        using var sdk = Anthropic(key);

        var ex = await Assert.ThrowsAsync<global::Anthropic.Exceptions.AnthropicPaymentRequiredException>(() => sdk.Messages.Create(new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 32000,
            Messages = [new UserMessageParam("Write a long story.")],
        }));

        Assert.Contains("billing_error", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may cost up to $0.48", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0m, await SpentAsync(key));
    }

    [Fact]
    public async Task Messages_StreamClamped_TheEmulatorSawTheClampedLimit()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05, clamp_min_output = 2000 } });
        using var sdk = Anthropic(key);

        long? output = null;
        var types = new List<string>();
        await foreach (var e in sdk.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 32000,
            Messages = [new UserMessageParam("#emulator reply=lorem\nStream a long story.")],
        }))
        {
            types.Add(e.Json.GetProperty("type").GetString()!);
            if (e.TryPickDelta(out var delta))
            {
                output = delta!.Usage.OutputTokens;
            }
        }

        Assert.InRange(output!.Value, 2000, 3333);
        Assert.Equal("message_stop", types[^1]);
        Assert.True(await SpentAsync(key) <= 0.05m);
    }

    [Fact]
    public async Task Messages_BudgetBelowPromptAndMinimum_StillRefused()
    {
        // $0.01 covers the prompt but not 1024 output tokens ($0.01536): refused, as before the clamp.
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.01 } });

        using var response = await _gateway.PostAsync("/v1/messages", Body(Claude, 32000, "hi"), key);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.False(response.Headers.Contains("x-tollgate-max-tokens-clamped"));
    }

    [Fact]
    public async Task Chat_NoLimitSet_ClampAddsOneAndStreamReportsIt()
    {
        // No max_tokens: the worst case is the model's 64000. The clamp adds max_completion_tokens for the provider.
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });
        var chat = OpenAI(key, Gpt);

        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("#emulator reply=lorem\nWrite a long story.")]))
        {
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.InRange(usage!.OutputTokenCount, 1024, 3333);
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.True(await SpentAsync(key) <= 0.05m);
    }

    [Fact]
    public async Task Chat_ClampFalse_Refused429InsufficientQuota()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05, clamp = false } });
        var chat = OpenAI(key, Gpt);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Write a long story.")], new ChatCompletionOptions { MaxOutputTokenCount = 32000 }));

        Assert.Equal(429, ex.Status);
        Assert.Contains("insufficient_quota", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_TpmHeadroom_ClampedToTheWindowAndSdkAnswered()
    {
        // No budget, 6000 tokens per minute: 32000 output tokens do not fit, the window less the prompt does.
        var key = await _gateway.CreateKeyAsync(new { tpm = 6000 });
        var chat = OpenAI(key, Gpt);

        var first = await chat.CompleteChatAsync([new UserChatMessage("#emulator reply=lorem\nWrite a long story.")], new ChatCompletionOptions { MaxOutputTokenCount = 32000 });
        var raw = first.GetRawResponse();

        var clamped = long.Parse(raw.Headers.TryGetValue("x-tollgate-max-tokens-clamped", out var value) ? value! : "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(clamped, 5000, 5999);
        Assert.Equal(clamped, first.Value.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, first.Value.FinishReason);

        // The window was corrected to what the answer used: under 1024 tokens are left, so the next one is refused.
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Again.")], new ChatCompletionOptions { MaxOutputTokenCount = 32000 }));
        Assert.Equal(429, ex.Status);
        Assert.Contains("tokens per minute", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_TwoChoices_ShareTheAllowance()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });
        var single = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });

        using var two = await _gateway.PostAsync("/v1/chat/completions", """{"model":"gpt-clamp-5","n":2,"max_tokens":32000,"messages":[{"role":"user","content":"hi"}]}""", key);
        using var one = await _gateway.PostAsync("/v1/chat/completions", """{"model":"gpt-clamp-5","n":1,"max_tokens":32000,"messages":[{"role":"user","content":"hi"}]}""", single);

        Assert.Equal(HttpStatusCode.OK, two.StatusCode);
        var perChoice = long.Parse(two.Headers.GetValues("x-tollgate-max-tokens-clamped").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var alone = long.Parse(one.Headers.GetValues("x-tollgate-max-tokens-clamped").Single(), System.Globalization.CultureInfo.InvariantCulture);
        // The same prompt (n differs by one digit) and budget: two choices get half of one's allowance, give or take a token.
        Assert.InRange(perChoice, (alone / 2) - 1, (alone / 2) + 1);
    }

    [Fact]
    public async Task Gemini_GenerateContent_ClampWrittenIntoGenerationConfig()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });

        using var response = await _gateway.PostAsync(
            $"/v1beta/models/{Gemini}:generateContent",
            """{"contents":[{"role":"user","parts":[{"text":"#emulator reply=lorem\nWrite a long story."}]}],"generationConfig":{"maxOutputTokens":32000}}""",
            key);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var clamped = long.Parse(response.Headers.GetValues("x-tollgate-max-tokens-clamped").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(clamped, (long)body["usageMetadata"]!["candidatesTokenCount"]!);
    }

    [Fact]
    public async Task Chat_UpstreamOverReportsStream_CutEndedCleanlyAndFlagged()
    {
        // Allowed 50 output tokens; the provider reports 40000 ($0.60 at $15/M), more than the $0.10 left.
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });
        var chat = OpenAI(key, Gpt);

        ChatTokenUsage? usage = null;
        var text = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("#emulator completion_tokens=40000\nHello")], new ChatCompletionOptions { MaxOutputTokenCount = 50 }))
        {
            usage ??= update.Usage;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        // The stream ended as a whole one for the SDK (no exception), with the provider's own report.
        Assert.Equal("Echo: Hello", text.ToString());
        Assert.Equal(40000, usage!.OutputTokenCount);
        var entry = await LatestEntryAsync(key);
        Assert.Equal("upstream_over_reported", (string?)entry["error_type"]);
        Assert.Equal(200, (int)entry["status"]!);
        // Settled at the reported cost, the excess over the reservation recorded.
        var cost = (decimal)entry["cost"]!;
        var excess = (decimal)entry["over_reserved"]!;
        Assert.True(cost >= 40000 * 15m / 1_000_000m, $"cost {cost}");
        Assert.InRange(excess, 0.59m, cost);
        Assert.Equal(cost, await SpentAsync(key));
    }

    [Fact]
    public async Task Messages_UpstreamOverReportsStream_MessageStopWrittenAndFlagged()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });
        using var sdk = Anthropic(key);

        var types = new List<string>();
        long? output = null;
        await foreach (var e in sdk.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 50,
            Messages = [new UserMessageParam("#emulator completion_tokens=40000\nHello")],
        }))
        {
            types.Add(e.Json.GetProperty("type").GetString()!);
            if (e.TryPickDelta(out var delta))
            {
                output = delta!.Usage.OutputTokens;
            }
        }

        Assert.Equal(40000, output);
        Assert.Equal("message_delta", types[^2]);
        Assert.Equal("message_stop", types[^1]);
        var entry = await LatestEntryAsync(key);
        Assert.Equal("upstream_over_reported", (string?)entry["error_type"]);
        Assert.True((decimal)entry["over_reserved"]! > 0.59m, entry.ToJsonString());
    }

    [Fact]
    public async Task Chat_UpstreamOverReportsWithinReservation_FlaggedWithNoExcessCost()
    {
        // Non-streaming, 52 output tokens reported against a limit of 50: past the limit, yet inside the reservation
        // (its prompt bound, about 38 tokens with the margin, covers the 1 token reported), so flagged with 0 beyond it.
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });

        using var response = await _gateway.PostAsync("/v1/chat/completions", """{"model":"gpt-clamp-5","max_tokens":50,"messages":[{"role":"user","content":"#emulator completion_tokens=52 prompt_tokens=1\nHello"}]}""", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = await LatestEntryAsync(key);
        Assert.Equal(52, (long)entry["usage"]!["output_tokens"]!);
        Assert.Equal(0m, (decimal)entry["over_reserved"]!);
    }

    [Fact]
    public async Task Chat_WellBehavedUpstream_NotFlagged()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });

        using var response = await _gateway.PostAsync("/v1/chat/completions", """{"model":"gpt-clamp-5","max_tokens":50,"messages":[{"role":"user","content":"#emulator completion_tokens=50\nHello"}]}""", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-tollgate-max-tokens-clamped"));
        var entry = await LatestEntryAsync(key);
        Assert.Null(entry["over_reserved"]);
        Assert.Null(entry["error_type"]);
    }

    [Fact]
    public async Task Gemini_UpstreamOverReportsStream_CutAfterTheFirstReportPastTheLimit()
    {
        // The emulator's Gemini events each carry usageMetadata with the final count, as Gemini's own do: the first
        // already reports 40000 against a limit of 50, so nothing after it reaches the client.
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });
        var body = """{"contents":[{"role":"user","parts":[{"text":"#emulator completion_tokens=40000 chunks=5\nHello there my friend"}]}],"generationConfig":{"maxOutputTokens":50}}""";

        using var cut = await _gateway.PostAsync($"/v1beta/models/{Gemini}:streamGenerateContent?alt=sse", body, key);
        var events = await DialectGateway.ReadEventsAsync(cut);
        using var whole = await _gateway.PostAsync($"/v1beta/models/{Gemini}:streamGenerateContent?alt=sse", body.Replace("40000", "50", StringComparison.Ordinal), key);
        var all = await DialectGateway.ReadEventsAsync(whole);

        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.Single(events);
        Assert.True(all.Count >= 5, $"{all.Count} events");
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(cut));
        Assert.Equal("upstream_over_reported", (string?)entry["error_type"]);
        Assert.True((decimal)entry["over_reserved"]! > 0.59m, entry.ToJsonString());
    }

    private static string Body(string model, int maxTokens, string text) =>
        new JsonObject { ["model"] = model, ["max_tokens"] = maxTokens, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }) }.ToJsonString();

    private async Task<JsonObject> LatestEntryAsync(string key)
    {
        var list = JsonNode.Parse(await _gateway.Client.GetStringAsync("/v1/requests?limit=200"))!["data"]!.AsArray();
        return list.Select(static e => e!.AsObject()).First(e => (string?)e["key"] == key[..8]);
    }

    private async Task<decimal> SpentAsync(string key)
    {
        var list = JsonNode.Parse(await _gateway.Client.GetStringAsync("/v1/requests?limit=200"))!["data"]!.AsArray();
        return list.Where(e => (string?)e!["key"] == key[..8]).Sum(static e => (decimal?)e!["cost"] ?? 0m);
    }
}
