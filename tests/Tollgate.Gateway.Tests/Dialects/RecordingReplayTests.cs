using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// Real provider responses (shared/fixtures/provider-recordings), served verbatim by the emulator's <c>replay</c> knob,
/// through the whole gateway: status, stream framing and the cost of the recorded usage, hand-computed from the
/// catalog's seed prices (claude-sonnet-4-5: $3 in, $0.30 cache read, $3.75 5m write, $15 out per 1M;
/// gemini-2.5-flash: $0.30 in, $2.50 out, thoughts billed as output).
/// </summary>
public sealed class RecordingReplayTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-text", "0.000471")] // 12*3 + 29*15 = 471 per 1M
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-clear-thinking.1", "0.000702")] // 69*3 + 33*15 = 702
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-json-tool.1", "0.004758")] // 1151*3 + 87*15 = 4758
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-refusal", "0.000129")] // 18*3 + 5*15 = 129
    [InlineData("gemini/gemini-2.5-flash", "google/google-text", "0.0006827")] // 9*0.3 + (28+244)*2.5 = 682.7
    [InlineData("gemini/gemini-2.5-flash", "google/google-reasoning", "0.0007802")] // 9*0.3 + (29+282)*2.5 = 780.2
    [InlineData("gemini/gemini-2.5-flash", "google/google-tool-call", "0.0022787")] // 29*0.3 + (15+893)*2.5 = 2278.7
    public async Task Chat_ReplayedResponse_TranslatedWithCost(string model, string recording, string expected)
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content = "#emulator replay=" + recording + "\nHi" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.NotNull(body["choices"]![0]!["finish_reason"]);
        Assert.Equal(Money(expected), body["usage"]!["cost"]!.GetValue<decimal>());
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(Money(expected), entry["cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-text", "0.000486")] // 12*3 + 30*15 = 486
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-clear-thinking.1", "0.001002")] // 69*3 + 53*15 = 1002
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-json-tool.1", "0.003252")] // 849*3 + 47*15 = 3252
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-refusal", "0.000129")] // 18*3 + 5*15 = 129
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic/anthropic-code-execution-20260120-prompt-cache.1", "0.01738845")] // 6*3 + 6289*0.3 + 3337*3.75 (5m) + 198*15 = 17388.45
    [InlineData("gemini/gemini-2.5-flash", "google/google-text", "0.0005227")] // 9*0.3 + (23+185)*2.5 = 522.7
    [InlineData("gemini/gemini-2.5-flash", "google/google-reasoning", "0.0007152")] // 9*0.3 + (29+256)*2.5 = 715.2
    [InlineData("gemini/gemini-2.5-flash", "google/google-tool-call", "0.0001587")] // 29*0.3 + (15+45)*2.5 = 158.7
    public async Task Chat_ReplayedStream_ChunksThenUsageCostThenDone(string model, string recording, string expected)
    {
        var (response, events) = await _gateway.PostStreamAsync("/v1/chat/completions", new
        {
            model,
            stream = true,
            stream_options = new { include_usage = true },
            messages = new[] { new { role = "user", content = "#emulator replay=" + recording + "\nHi" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.Take(events.Count - 1).Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Any(ch => ch!["finish_reason"] is JsonValue));
        Assert.Equal(Money(expected), chunks[^1]["usage"]!["cost"]!.GetValue<decimal>());
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(Money(expected), entry["cost"]!.GetValue<decimal>());
        Assert.Equal(200, entry["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Messages_ReplayedAnthropicStreamPassthrough_EventsVerbatimExceptCostOnMessageDelta()
    {
        const string recording = "anthropic/anthropic-code-execution-20260120-prompt-cache.1";
        var (_, events) = await _gateway.PostStreamAsync("/v1/messages", new
        {
            model = "anthropic/claude-sonnet-4-5",
            max_tokens = 1024,
            stream = true,
            messages = new[] { new { role = "user", content = "#emulator replay=" + recording + "\nHi" } },
        });

        var lines = File.ReadAllLines(Path.Combine(DialectGateway.RecordingsDirectory, recording + ".chunks.txt")).Where(l => l.Length > 0).ToList();
        Assert.Equal(lines.Count, events.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var data = JsonNode.Parse(events[i].Data)!;
            if (events[i].Event == "message_delta")
            {
                // 6*3 + 6289*0.3 + 3337*3.75 + 198*15 = 17388.45 per 1M
                Assert.Equal(0.01738845m, data["usage"]!["cost"]!.GetValue<decimal>());
                data["usage"]!.AsObject().Remove("cost");
            }

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(lines[i]), data), $"event {i} changed");
        }
    }

    [Fact]
    public async Task Messages_ReplayedGeminiToolCallStream_ToolUseBlockInAnthropicEvents()
    {
        var (_, events) = await _gateway.PostStreamAsync("/v1/messages", new
        {
            model = "gemini/gemini-2.5-flash",
            max_tokens = 1024,
            stream = true,
            messages = new[] { new { role = "user", content = "#emulator replay=google/google-tool-call\nHi" } },
        });

        var recorded = File.ReadAllLines(Path.Combine(DialectGateway.RecordingsDirectory, "google", "google-tool-call.chunks.txt"))
            .Where(l => l.Length > 0)
            .SelectMany(l => JsonNode.Parse(l)!["candidates"]![0]!["content"]?["parts"]?.AsArray() ?? [])
            .Select(p => p!["functionCall"])
            .First(c => c is not null)!;
        var start = events.Select(e => JsonNode.Parse(e.Data)!).First(d => d["type"]!.GetValue<string>() == "content_block_start" && d["content_block"]!["type"]!.GetValue<string>() == "tool_use");
        Assert.Equal(recorded["name"]!.GetValue<string>(), start["content_block"]!["name"]!.GetValue<string>());
        var json = string.Concat(events.Select(e => JsonNode.Parse(e.Data)!).Where(d => d["type"]!.GetValue<string>() == "content_block_delta" && d["delta"]!["type"]!.GetValue<string>() == "input_json_delta").Select(d => d["delta"]!["partial_json"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(recorded["args"], JsonNode.Parse(json)));
        Assert.Equal("message_stop", events[^1].Event);

        // 29*0.3 + (15+45)*2.5 = 158.7 per 1M
        Assert.Equal(0.0001587m, JsonNode.Parse(events.Single(e => e.Event == "message_delta").Data)!["usage"]!["cost"]!.GetValue<decimal>());
    }

    private static decimal Money(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
