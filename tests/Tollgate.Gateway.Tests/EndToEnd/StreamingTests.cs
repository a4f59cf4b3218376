using System.Text;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>Streaming chat: the SDK's stream, raw SSE with and without <c>include_usage</c>, and a stream cut half way.</summary>
[Collection(GatewayCollection.Name)]
public sealed class StreamingTests(GatewayFixture fx)
{
    private const string Prompt = "Stream me the price of the bridge toll please";

    // gpt-4o-mini 0.15 / 0.075 / 0.60 per 1M with E2E.UsageKnobs (800 uncached, 200 cached, 500 output):
    // 800 x 0.15 = 120, 200 x 0.075 = 15, 500 x 0.60 = 300 -> 435 / 1M = 0.000435
    private const decimal MiniCost = 0.000435m;

    // The cut is paced (about 50 ms a chunk) so the first chunks cross the socket before the emulator drops the
    // connection; an unpaced cut can lose everything to the reset, which is a 502 before any event instead.
    private const string PacedCut = "cut tokens_per_second=20";

    [Fact]
    public async Task CompleteChatStreaming_Sdk_TextEqualsNonStreamedAndUsageArrives()
    {
        var client = fx.Chat("openai/gpt-4o-mini");
        var message = E2E.WithKnobs(Prompt, E2E.UsageKnobs);
        var whole = await client.CompleteChatAsync([new UserChatMessage(message)]);

        var text = new StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(message)]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Value.Content[0].Text, text.ToString());
        Assert.Equal("Echo: " + Prompt, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);

        // Word by word: the stream really was a stream of several chunks, not one blob.
        Assert.True(updates >= 5, $"only {updates} updates");

        // The .NET SDK asks for stream_options.include_usage itself, so the usage chunk reaches it.
        Assert.NotNull(usage);
        Assert.Equal(1000, usage!.InputTokenCount);
        Assert.Equal(500, usage.OutputTokenCount);
        Assert.Equal(200, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(100, usage.OutputTokenDetails.ReasoningTokenCount);

        var entry = await fx.LatestLedgerEntryAsync();
        Assert.True(entry["stream"]!.GetValue<bool>());
        Assert.Equal("openai/gpt-4o-mini", (string?)entry["model"]);
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        Assert.False(entry["estimated"]!.GetValue<bool>());
        E2E.AssertLedgerUsage(entry, input: 800, cacheRead: 200, output: 500, reasoning: 100, MiniCost);
    }

    [Fact]
    public async Task Stream_IncludeUsage_UsageChunkCarriesCostThenDone()
    {
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("openai/gpt-4o-mini", E2E.WithKnobs(Prompt, E2E.UsageKnobs), ""","stream":true,"stream_options":{"include_usage":true}"""));
        var requestId = E2E.RequestId(response);
        var events = await E2E.ReadSseAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = E2E.Chunks(events);
        Assert.Equal("Echo: " + Prompt, E2E.Text(chunks));

        // Exactly one chunk carries a usage object: the last one, with no choices, as OpenAI sends it.
        var withUsage = chunks.Where(c => c["usage"] is not null).ToList();
        var usageChunk = Assert.Single(withUsage);
        Assert.Same(chunks[^1], usageChunk);
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(1000, usageChunk["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(MiniCost, E2E.Cost(usageChunk["usage"]));

        var entry = await fx.LedgerEntryAsync(requestId);
        Assert.Equal(MiniCost, entry["cost"]!.GetValue<decimal>());
        Assert.NotNull(entry["ttft_ms"]);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_NoUsageChunkButLedgerHasUsageAndCost()
    {
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("openai/gpt-4o-mini", E2E.WithKnobs(Prompt, E2E.UsageKnobs), ""","stream":true"""));
        var requestId = E2E.RequestId(response);
        var events = await E2E.ReadSseAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = E2E.Chunks(events);
        Assert.Equal("Echo: " + Prompt, E2E.Text(chunks));

        // The gateway asked the upstream for usage for its own accounting; the client, which did not, sees none of it.
        Assert.All(chunks, c => Assert.Null(c["usage"]));
        Assert.All(chunks, c => Assert.NotEmpty(c["choices"]!.AsArray()));
        Assert.DoesNotContain(events, e => e.Contains("\"cost\"", StringComparison.Ordinal));

        var entry = await fx.LedgerEntryAsync(requestId);
        Assert.True(entry["stream"]!.GetValue<bool>());
        Assert.False(entry["estimated"]!.GetValue<bool>());
        E2E.AssertLedgerUsage(entry, input: 800, cacheRead: 200, output: 500, reasoning: 100, MiniCost);
    }

    [Fact]
    public async Task Stream_IncludeUsageFalse_NoUsageChunk()
    {
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("groq/llama-3.3-70b-versatile", E2E.WithKnobs(Prompt, E2E.UsageKnobs), ""","stream":true,"stream_options":{"include_usage":false}"""));
        var requestId = E2E.RequestId(response);
        var chunks = E2E.Chunks(await E2E.ReadSseAsync(response));

        Assert.All(chunks, c => Assert.Null(c["usage"]));

        // llama-3.3-70b 0.59 / 0.79, no cached rate: 1000 x 0.59 + 500 x 0.79 = 590 + 395 = 985 -> 0.000985
        var entry = await fx.LedgerEntryAsync(requestId);
        Assert.Equal(0.000985m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task CompleteChatStreaming_CutHalfWay_ClientSeesBrokenStreamAndLedgerIsEstimated()
    {
        const string words = "one two three four five six seven eight nine ten eleven twelve";
        var received = new StringBuilder();
        var client = fx.Chat("openai/gpt-4o-mini");

        var ex = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(E2E.WithKnobs(words, PacedCut))]))
            {
                foreach (var part in update.ContentUpdate)
                {
                    received.Append(part.Text);
                }
            }
        });

        // The client must not take a cut stream for a complete one: the read fails.
        Assert.NotNull(ex);
        var full = "Echo: " + words;
        Assert.NotEqual(full, received.ToString());
        Assert.StartsWith(received.ToString(), full, StringComparison.Ordinal);
        Assert.NotEmpty(received.ToString());

        var entry = await fx.LatestLedgerEntryAsync();
        Assert.True(entry["stream"]!.GetValue<bool>());
        Assert.Equal(502, entry["status"]!.GetValue<int>());
        Assert.NotNull((string?)entry["error_type"]);
        Assert.True(entry["estimated"]!.GetValue<bool>());
        var usage = entry["usage"]!;
        Assert.True(usage["output_tokens"]!.GetValue<long>() > 0, entry.ToJsonString());
        Assert.True(usage["input_tokens"]!.GetValue<long>() > 0, entry.ToJsonString());

        // The estimate is priced like real usage: (input x 0.15 + output x 0.60) / 1M.
        var expected = (usage["input_tokens"]!.GetValue<long>() * 0.15m + usage["output_tokens"]!.GetValue<long>() * 0.60m) / 1_000_000m;
        Assert.Equal(expected, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Stream_CutHalfWayRaw_ConnectionFailsBeforeDone()
    {
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("deepseek/deepseek-chat", E2E.WithKnobs("alpha beta gamma delta epsilon zeta eta theta", PacedCut), ""","stream":true"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var requestId = E2E.RequestId(response);

        var events = new List<string>();
        var ex = await Record.ExceptionAsync(async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(line[6..]);
                }
            }
        });

        Assert.NotNull(ex);
        Assert.DoesNotContain("[DONE]", events);
        Assert.NotEmpty(events);

        var entry = await fx.LedgerEntryAsync(requestId);
        Assert.True(entry["estimated"]!.GetValue<bool>());
        Assert.True(entry["usage"]!["output_tokens"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Stream_ClientGoesAwayMidStream_LedgerStillRecordsTheRequest()
    {
        // Paced at 20 tokens a second: 40 words take about 2 s, so the client leaves long before the end.
        var words = string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + i));
        string requestId;
        using (var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("openai/gpt-4o-mini", E2E.WithKnobs(words, "tokens_per_second=20"), ""","stream":true""")))
        {
            requestId = E2E.RequestId(response);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var seen = 0;
            while (seen < 3 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    seen++;
                }
            }
        }

        // The gateway notices the disconnect on its next write; wait for the entry rather than for a fixed time.
        System.Text.Json.Nodes.JsonObject? entry = null;
        for (var attempt = 0; attempt < 100 && entry is null; attempt++)
        {
            entry = (await fx.LedgerAsync()).FirstOrDefault(e => (string?)e!["id"] == requestId)?.AsObject();
            if (entry is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(entry);
        Assert.Equal(499, entry!["status"]!.GetValue<int>());
        Assert.True(entry["estimated"]!.GetValue<bool>());
        Assert.True(entry["usage"]!["output_tokens"]!.GetValue<long>() > 0);
    }
}
