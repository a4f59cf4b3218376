using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// What Claude Code sends to <c>/v1/messages</c> (its own model names mapped in tollgate.json, <c>?beta=true</c>, the
/// <c>anthropic-beta</c> header, a trailing system message, tools) through the passthrough and both translations, and
/// the refusals it must be able to read: never a 403 for a model, and a budget refusal it does not retry.
/// </summary>
public sealed class ClaudeCodeTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await ClaudeCodeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("claude-opus-5-5", "anthropic")]
    [InlineData("claude-sonnet-5-5", "openai")]
    [InlineData("claude-haiku-5-5-20261001", "gemini")]
    [InlineData("claude-haiku-5-5", "gemini")]
    public async Task Messages_ClaudeCodeStreamWithMappedModelName_AnsweredAndPricedFromTollgateJson(string model, string provider)
    {
        var body = ClaudeCodeGateway.ClaudeCodeBody(model, "Say hi.\n#emulator prompt_tokens=1000 completion_tokens=20", stream: true);

        using var response = await _gateway.PostAsync("/v1/messages?beta=true", body);
        var events = await DialectGateway.ReadEventsAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (provider != "anthropic")
        {
            // What only Anthropic understands is dropped, and said so (the policy is "drop" by default).
            var dropped = response.Headers.GetValues("x-tollgate-dropped-params").Single();
            Assert.Contains("context_management", dropped, StringComparison.Ordinal);
            Assert.Contains("output_config", dropped, StringComparison.Ordinal);
        }

        Assert.Equal("message_start", events[0].Event);
        var message = JsonNode.Parse(events[0].Data)!["message"]!;
        Assert.StartsWith("msg_", (string?)message["id"], StringComparison.Ordinal);
        Assert.Equal(model, (string?)message["model"]);
        // Before the first token the client knows the prompt's size: the provider's count, or the gateway's own.
        Assert.True((long)message["usage"]!["input_tokens"]! > 0, events[0].Data);
        var text = string.Concat(events.Select(static e => JsonNode.Parse(e.Data)!).Where(static d => (string?)d["delta"]?["type"] == "text_delta").Select(static d => (string?)d["delta"]!["text"]));
        Assert.Equal("Echo: Say hi.", text);
        var delta = JsonNode.Parse(events.Single(static e => e.Event == "message_delta").Data)!;
        Assert.Equal(1000, (long)delta["usage"]!["input_tokens"]!);
        Assert.Equal(20, (long)delta["usage"]!["output_tokens"]!);
        Assert.Equal("message_stop", events[^1].Event);

        // 1000 input and 20 output tokens at the prices tollgate.json gives the name.
        var (input, output) = ClaudeCodeGateway.Prices[model.StartsWith("claude-haiku", StringComparison.Ordinal) ? "claude-haiku-5-5-20261001" : model];
        var expected = (1000 * input + 20 * output) / 1_000_000m;
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(expected, entry["cost"]!.GetValue<decimal>());
        Assert.Equal(provider, (string?)entry["provider"]);
        Assert.Equal(expected, (decimal)delta["usage"]!["cost"]!);
    }

    [Fact]
    public async Task Messages_TranslatedStream_MessageStartReportsWhatCountTokensCounts()
    {
        var text = "Count me.";
        using var counted = await _gateway.PostAsync("/v1/messages/count_tokens?beta=true", ClaudeCodeGateway.ClaudeCodeBody("claude-sonnet-5-5", text, stream: false, countTokens: true));
        var count = JsonNode.Parse(await counted.Content.ReadAsStringAsync())!;
        using var streamed = await _gateway.PostAsync("/v1/messages?beta=true", ClaudeCodeGateway.ClaudeCodeBody("claude-sonnet-5-5", text, stream: true));
        var events = await DialectGateway.ReadEventsAsync(streamed);

        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        var tokens = (long)count["input_tokens"]!;
        // The system blocks, the trailing system message and the tool schemas all count: more than the user's words.
        Assert.True(tokens > 60, count.ToJsonString());
        Assert.Equal(tokens, (long)JsonNode.Parse(events[0].Data)!["message"]!["usage"]!["input_tokens"]!);
    }

    [Theory]
    [InlineData("claude-opus-5-5")]
    [InlineData("claude-sonnet-5-5")]
    public async Task CountTokens_ClaudeCodeBodyWithBeta_CountedForEveryProvider(string model)
    {
        using var response = await _gateway.PostAsync("/v1/messages/count_tokens?beta=true", ClaudeCodeGateway.ClaudeCodeBody(model, "How many?", stream: false, countTokens: true));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.True((long)JsonNode.Parse(text)!["input_tokens"]! > 0, text);
    }

    [Fact]
    public async Task Messages_TranslatedToolTurn_ToolUseThenFinalAnswer()
    {
        var first = ClaudeCodeGateway.ClaudeCodeBody("claude-sonnet-5-5", "Write the file.\n" + """#emulator tool=Write tool_args={"file_path":"/tmp/a.txt","content":"hi"}""", stream: false);

        using var response = await _gateway.PostAsync("/v1/messages?beta=true", first);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("msg_", (string?)message["id"], StringComparison.Ordinal);
        Assert.Equal("tool_use", (string?)message["stop_reason"]);
        var use = message["content"]!.AsArray().Single(static b => (string?)b!["type"] == "tool_use")!;
        Assert.Equal("Write", (string?)use["name"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"file_path":"/tmp/a.txt","content":"hi"}"""), use["input"]), use.ToJsonString());

        // The tool's result goes back as Claude Code sends it: the earlier turns, the call, the result.
        var second = JsonNode.Parse(first)!.AsObject();
        var turns = second["messages"]!.AsArray();
        turns.Add(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(use.DeepClone()) });
        turns.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = (string?)use["id"], ["content"] = "File created successfully" }) });
        using var final = await _gateway.PostAsync("/v1/messages?beta=true", second.ToJsonString());
        var answer = JsonNode.Parse(await final.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal("end_turn", (string?)answer["stop_reason"]);
        Assert.Equal("text", (string?)answer["content"]![0]!["type"]);
    }

    [Fact]
    public async Task Messages_UnmappedClaudeName_404NotFoundErrorSayingHowToMapIt()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 5 } });

        using var response = await _gateway.PostAsync("/v1/messages?beta=true", ClaudeCodeGateway.ClaudeCodeBody("claude-opus-9-9", "hi", stream: true), key);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", (string?)body["error"]!["type"]);
        Assert.Contains("add it to tollgate.json's models section with a deployment and its prices", (string?)body["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_BudgetedKeyOnMappedName_AdmittedOnTheConfiguredPrices()
    {
        // The worst case of 32000 output tokens at $25/M is $0.80: a $1 budget admits it, because tollgate.json priced the name.
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });

        using var response = await _gateway.PostAsync("/v1/messages?beta=true", ClaudeCodeGateway.ClaudeCodeBody("claude-opus-5-5", "hi\n#emulator prompt_tokens=100 completion_tokens=10", stream: false), key);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(0.00075m, (await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response)))["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Messages_BudgetSpent_402BillingErrorThatSaysDoNotRetry()
    {
        var key = await _gateway.CreateKeyAsync(new { limit = new { retention = "day", threshold = 0.01 } });

        using var response = await _gateway.PostAsync("/v1/messages?beta=true", ClaudeCodeGateway.ClaudeCodeBody("claude-opus-5-5", "hi", stream: true), key);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.Equal("billing_error", (string?)body["error"]!["type"]);
        Assert.Contains("budget of $0.01 per UTC day does not cover this request", (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Contains("It resets at", (string?)body["error"]!["message"], StringComparison.Ordinal);
    }
}
