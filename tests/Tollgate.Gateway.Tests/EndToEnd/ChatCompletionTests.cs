using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>Non-streaming chat through the official OpenAI SDK: reply, usage and <c>usage.cost</c> per provider.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ChatCompletionTests(GatewayFixture fx)
{
    // Every case: 1000 prompt tokens (200 cached), 500 completion tokens (100 reasoning, inside the 500).
    // Cost = 800 x input + 200 x cached_input (input rate when the model has none) + 500 x output, prices per 1M tokens.
    [Theory]
    // built-in catalog, gpt-4o 2.50 / 1.25 / 10.00: 0.002 + 0.00025 + 0.005 = 0.00725
    [InlineData("openai/gpt-4o", "0.00725")]
    // gpt-4o-mini 0.15 / 0.075 / 0.60: 0.00012 + 0.000015 + 0.0003 = 0.000435
    [InlineData("openai/gpt-4o-mini", "0.000435")]
    // llama-3.3-70b 0.59 / none / 0.79: 1000 x 0.59 = 0.00059, + 500 x 0.79 = 0.000395 -> 0.000985
    [InlineData("groq/llama-3.3-70b-versatile", "0.000985")]
    // deepseek-chat 0.28 / 0.028 / 0.42: 0.000224 + 0.0000056 + 0.00021 = 0.0004396
    [InlineData("deepseek/deepseek-chat", "0.0004396")]
    // kimi-k2-0905 0.60 / 0.15 / 2.50: 0.00048 + 0.00003 + 0.00125 = 0.00176
    [InlineData("moonshot/kimi-k2-0905-preview", "0.00176")]
    // mistral-large-2512 0.50 / none / 1.50: 0.0005 + 0.00075 = 0.00125
    [InlineData("mistral/mistral-large-2512", "0.00125")]
    // grok-4 3.00 / 0.75 / 15.00: 0.0024 + 0.00015 + 0.0075 = 0.01005
    [InlineData("xai/grok-4", "0.01005")]
    // glm-4.6 0.60 / 0.11 / 2.20: 0.00048 + 0.000022 + 0.0011 = 0.001602
    [InlineData("zhipu/glm-4.6", "0.001602")]
    // demo-chat (the in-process emulator) 1.00 / none / 2.00: 0.001 + 0.001 = 0.002
    [InlineData("demo/demo-chat", "0.002")]
    public async Task CompleteChat_CatalogModel_ReplyUsageAndCostEqualHandComputed(string model, string expectedCost)
    {
        var expected = E2E.Dec(expectedCost);
        var result = await fx.Chat(model).CompleteChatAsync([new UserChatMessage(E2E.WithKnobs("How much is the toll today?", E2E.UsageKnobs))]);

        var completion = result.Value;
        Assert.Equal("Echo: How much is the toll today?", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);

        // The upstream received its own model name, not the gateway's provider/model id.
        Assert.Equal(model[(model.IndexOf('/', StringComparison.Ordinal) + 1)..], completion.Model);

        Assert.Equal(1000, completion.Usage.InputTokenCount);
        Assert.Equal(500, completion.Usage.OutputTokenCount);
        Assert.Equal(1500, completion.Usage.TotalTokenCount);
        Assert.Equal(200, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(100, completion.Usage.OutputTokenDetails.ReasoningTokenCount);

        var raw = E2E.RawJson(result);
        Assert.Equal(expected, E2E.Cost(raw["usage"]));

        // Other upstream fields survive the passthrough.
        Assert.Equal("fp_emulator", (string?)raw["system_fingerprint"]);
        Assert.Equal(1000, raw["usage"]!["prompt_tokens"]!.GetValue<long>());

        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-tollgate-provider", out var provider));
        Assert.Equal(model[..model.IndexOf('/', StringComparison.Ordinal)], provider);

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal(model, (string?)entry["model"]);
        Assert.Equal(provider, (string?)entry["provider"]);
        Assert.Equal("chat", (string?)entry["endpoint"]);
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        Assert.False(entry["stream"]!.GetValue<bool>());
        Assert.False(entry["estimated"]!.GetValue<bool>());
        Assert.False(entry["unpriced"]!.GetValue<bool>());
        Assert.Null(entry["error_type"]);
        E2E.AssertLedgerUsage(entry, input: 800, cacheRead: 200, output: 500, reasoning: 100, expected);
    }

    [Fact]
    public async Task CompleteChat_NoUsageKnobs_EmulatorEstimateIsPricedConsistently()
    {
        // Without knobs the emulator reports its own estimate; whatever it is, the cost must be that usage priced:
        // gpt-4o-mini at 0.15 input and 0.60 output per 1M, nothing cached.
        var result = await fx.Chat("openai/gpt-4o-mini").CompleteChatAsync(
            [new SystemChatMessage("You are terse."), new UserChatMessage("Tell me about toll roads in three words")]);
        Assert.Equal("Echo: Tell me about toll roads in three words", result.Value.Content[0].Text);

        var usage = E2E.RawJson(result)["usage"]!;
        var prompt = usage["prompt_tokens"]!.GetValue<long>();
        var completion = usage["completion_tokens"]!.GetValue<long>();
        Assert.True(prompt > 0 && completion > 0);
        Assert.Equal((prompt * 0.15m + completion * 0.60m) / 1_000_000m, E2E.Cost(usage));
    }

    [Fact]
    public async Task CompleteChat_MultiTurnWithOptions_PassesParametersThrough()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 3, Temperature = 0.2f, TopP = 0.9f };
        var result = await fx.Chat("openai/gpt-4o-mini").CompleteChatAsync(
            [
                new UserChatMessage("first question"),
                new AssistantChatMessage("first answer"),
                new UserChatMessage("one two three four five six"),
            ],
            options);

        // max_completion_tokens reached the emulator unchanged: the echo is cut to 3 words with finish reason "length".
        Assert.Equal("Echo: one two", result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, result.Value.FinishReason);
    }
}
