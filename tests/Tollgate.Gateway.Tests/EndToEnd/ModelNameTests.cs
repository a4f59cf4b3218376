using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>How model names route: <c>provider/model</c>, bare names, aliases, slashes inside names, unknown models.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ModelNameTests(GatewayFixture fx)
{
    [Theory]
    // gpt-4o 2.50 / 1.25 / 10.00 with E2E.UsageKnobs: 0.002 + 0.00025 + 0.005 = 0.00725
    [InlineData("gpt-4o", "openai", "gpt-4o", "openai/gpt-4o", "0.00725")]
    // deepseek-chat 0.28 / 0.028 / 0.42: 0.000224 + 0.0000056 + 0.00021 = 0.0004396
    [InlineData("deepseek-chat", "deepseek", "deepseek-chat", "deepseek/deepseek-chat", "0.0004396")]
    // glm-4.6 0.60 / 0.11 / 2.20: 0.00048 + 0.000022 + 0.0011 = 0.001602
    [InlineData("glm-4.6", "zhipu", "glm-4.6", "zhipu/glm-4.6", "0.001602")]
    // A slash inside the provider's own name; gpt-oss-120b 0.15 / 0.075 / 0.60: 0.00012 + 0.000015 + 0.0003 = 0.000435
    [InlineData("groq/openai/gpt-oss-120b", "groq", "openai/gpt-oss-120b", "groq/openai/gpt-oss-120b", "0.000435")]
    // An alias reaches the model's price, and the provider gets the name the client used; same price as gpt-4o-mini.
    [InlineData("openai/gpt-4o-mini-2024-07-18", "openai", "gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini", "0.000435")]
    public async Task CompleteChat_ModelName_RoutesToProviderWithItsOwnName(string requested, string provider, string upstreamModel, string ledgerModel, string cost)
    {
        var result = await fx.Chat(requested).CompleteChatAsync([new UserChatMessage(E2E.WithKnobs("route me", E2E.UsageKnobs))]);

        Assert.Equal("Echo: route me", result.Value.Content[0].Text);
        Assert.Equal(upstreamModel, result.Value.Model);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-tollgate-provider", out var header));
        Assert.Equal(provider, header);
        Assert.Equal(E2E.Dec(cost), E2E.Cost(E2E.RawJson(result)["usage"]));

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal(provider, (string?)entry["provider"]);
        Assert.Equal(ledgerModel, (string?)entry["model"]);
        Assert.False(entry["unpriced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CompleteChat_ProviderModelUnknownToCatalog_ForwardedUnpricedWithNullCost()
    {
        var result = await fx.Chat("openai/gpt-9-preview-2099").CompleteChatAsync([new UserChatMessage(E2E.WithKnobs("brand new", E2E.UsageKnobs))]);

        Assert.Equal("Echo: brand new", result.Value.Content[0].Text);
        Assert.Equal("gpt-9-preview-2099", result.Value.Model);
        Assert.Equal(1000, result.Value.Usage.InputTokenCount);

        // The response says "cost": null rather than leaving the field out or inventing a price.
        Assert.Null(E2E.Cost(E2E.RawJson(result)["usage"]));

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("openai/gpt-9-preview-2099", (string?)entry["model"]);
        Assert.True(entry["unpriced"]!.GetValue<bool>());
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        E2E.AssertLedgerUsage(entry, input: 800, cacheRead: 200, output: 500, reasoning: 100, cost: null);
    }

    [Fact]
    public async Task Stream_ProviderModelUnknownToCatalog_UsageChunkHasNullCost()
    {
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("mistral/mistral-next-unlisted", E2E.WithKnobs("brand new", E2E.UsageKnobs), ""","stream":true,"stream_options":{"include_usage":true}"""));
        var requestId = E2E.RequestId(response);
        var chunks = E2E.Chunks(await E2E.ReadSseAsync(response));

        var usageChunk = Assert.Single(chunks, c => c["usage"] is not null);
        Assert.Null(E2E.Cost(usageChunk["usage"]));

        var entry = await fx.LedgerEntryAsync(requestId);
        Assert.True(entry["unpriced"]!.GetValue<bool>());
        Assert.Null(entry["cost"]);
    }

    [Fact]
    public async Task CompleteChat_DemoProvider_AnsweredByInProcessEmulator()
    {
        var result = await fx.Chat("demo/demo-chat").CompleteChatAsync([new UserChatMessage("Hello demo")]);

        Assert.Equal("Echo: Hello demo", result.Value.Content[0].Text);
        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("demo", (string?)entry["provider"]);
    }
}
