using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>
/// The passthrough keeps what it does not own: bodies equal the upstream's own (bar <c>usage.cost</c>), large events
/// split across reads arrive whole, content parts and body fields reach the upstream, odd model names survive the
/// rewrite, and concurrent requests each get their own exact cost.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PassthroughFidelityTests(GatewayFixture fx)
{
    // About 20 KB of reply: larger than the gateway's read buffers on both paths.
    private const string LoremKnobs = ""","emulator":{"reply":"lorem","completion_tokens":3000,"prompt_tokens":10}""";

    [Fact]
    public async Task Chat_LargeReply_BodyEqualsUpstreamsOwnExceptCost()
    {
        var upstreamBody = E2E.ChatBody("gpt-4o-mini", "big", LoremKnobs);
        using var direct = new HttpClient();
        using var upstreamResponse = await direct.PostAsync(new Uri(fx.EmulatorAddress, "/v1/chat/completions"), new StringContent(upstreamBody, Encoding.UTF8, "application/json"));
        var upstream = JsonNode.Parse(await upstreamResponse.Content.ReadAsStringAsync())!.AsObject();

        using var response = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o-mini", "big", LoremKnobs));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 16 * 1024, $"only {text.Length} bytes");
        var viaGateway = JsonNode.Parse(text)!.AsObject();

        // gpt-4o-mini: 10 x 0.15 + 3000 x 0.60 = 1.5 + 1800 = 1801.5 per 1M -> 0.0018015
        Assert.Equal(0.0018015m, E2E.Cost(viaGateway["usage"]));

        foreach (var body in new[] { upstream, viaGateway })
        {
            body.Remove("id");
            body.Remove("created");
        }

        viaGateway["usage"]!.AsObject().Remove("cost");
        Assert.True(JsonNode.DeepEquals(upstream, viaGateway), $"upstream: {Head(upstream)}\ngateway: {Head(viaGateway)}");
    }

    [Fact]
    public async Task Stream_EventsLargerThanAReadBuffer_ArriveWhole()
    {
        var nonStream = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o-mini", "big", LoremKnobs));
        var expected = (string)(await E2E.JsonAsync(nonStream))["choices"]![0]!["message"]!["content"]!;
        nonStream.Dispose();

        // Two content chunks of about 10 KB each.
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("openai/gpt-4o-mini", "big", LoremKnobs.Replace("}", ",\"chunks\":2}", StringComparison.Ordinal) + ""","stream":true,"stream_options":{"include_usage":true}"""));
        var chunks = E2E.Chunks(await E2E.ReadSseAsync(response));

        Assert.Equal(expected, E2E.Text(chunks));
        Assert.Contains(chunks, c => ((string?)c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"])?.Length > 8192);
        Assert.Equal(0.0018015m, E2E.Cost(chunks[^1]["usage"]));
    }

    [Fact]
    public async Task CompleteChat_ContentPartsAndResponseFormat_ReachTheUpstream()
    {
        var message = new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is on this sign?"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/toll-sign.png"), ChatImageDetailLevel.Low),
            ChatMessageContentPart.CreateTextPart("Answer briefly."));
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                "sign", BinaryData.FromString("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}"""), jsonSchemaIsStrict: true),
        };

        var result = await fx.Chat("openai/gpt-4o").CompleteChatAsync([message], options);

        // The emulator answers a json_schema response_format with JSON built from the schema: the format arrived.
        Assert.Equal("""{"text":"test"}""", result.Value.Content[0].Text);

        // With the echo forced, it joins the text parts of the last user message: both arrived, in order, around the image part.
        var echoed = new UserChatMessage([.. message.Content, ChatMessageContentPart.CreateTextPart("#emulator reply=echo")]);
        var echo = await fx.Chat("openai/gpt-4o").CompleteChatAsync([echoed], options);
        Assert.Equal("Echo: What is on this sign?\nAnswer briefly.", echo.Value.Content[0].Text);
    }

    [Theory]
    [InlineData("openai\\u002Fgpt-4o", "gpt-4o", "openai/gpt-4o", false)]
    [InlineData("openai/gpt-\\u00fc-t\\u00e9st", "gpt-\u00fc-t\u00e9st", "openai/gpt-\u00fc-t\u00e9st", true)]
    [InlineData("openai/quote\\\"d", "quote\"d", "openai/quote\"d", true)]
    public async Task Chat_EscapedModelName_DecodedRoutedAndReEncoded(string jsonModel, string upstreamModel, string ledgerModel, bool unpriced)
    {
        var body = $$"""{"model":"{{jsonModel}}","messages":[{"role":"user","content":"hi"}]}""";
        using var response = await fx.PostAsync("/v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await E2E.JsonAsync(response);

        Assert.Equal(upstreamModel, (string?)json["model"]);
        var entry = await fx.LedgerEntryAsync(E2E.RequestId(response));
        Assert.Equal(ledgerModel, (string?)entry["model"]);
        Assert.Equal(unpriced, entry["unpriced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Chat_ManyConcurrentRequests_EachGetsItsOwnReplyAndExactCost()
    {
        var client = fx.Chat("deepseek/deepseek-chat");
        var tasks = Enumerable.Range(0, 24).Select(async i =>
        {
            // deepseek-chat 0.28 / 0.028 / 0.42 with prompt 100 + i (none cached) and completion 10 + i:
            // ((100 + i) x 0.28 + (10 + i) x 0.42) / 1M
            var expected = ((100 + i) * 0.28m + (10 + i) * 0.42m) / 1_000_000m;
            var text = $"request number {i}";
            var knobs = $"prompt_tokens={100 + i} completion_tokens={10 + i}";
            if (i % 2 == 0)
            {
                var result = await client.CompleteChatAsync([new UserChatMessage(E2E.WithKnobs(text, knobs))]);
                Assert.Equal("Echo: " + text, result.Value.Content[0].Text);
                Assert.Equal(expected, E2E.Cost(E2E.RawJson(result)["usage"]));
                return (Id: E2E.RequestId(result), Cost: expected);
            }

            using var response = await fx.PostAsync(
                "/v1/chat/completions",
                E2E.ChatBody("deepseek/deepseek-chat", E2E.WithKnobs(text, knobs), ""","stream":true,"stream_options":{"include_usage":true}"""));
            var id = E2E.RequestId(response);
            var chunks = E2E.Chunks(await E2E.ReadSseAsync(response));
            Assert.Equal("Echo: " + text, E2E.Text(chunks));
            Assert.Equal(expected, E2E.Cost(chunks[^1]["usage"]));
            return (Id: id, Cost: expected);
        }).ToList();

        var done = await Task.WhenAll(tasks);
        var entries = await fx.LedgerAsync();
        foreach (var (id, cost) in done)
        {
            var entry = Assert.Single(entries, e => (string?)e!["id"] == id)!;
            Assert.Equal(cost, entry["cost"]!.GetValue<decimal>());
        }
    }

    private static string Head(JsonNode node)
    {
        var s = node.ToJsonString();
        return s.Length > 400 ? s[..400] : s;
    }
}
