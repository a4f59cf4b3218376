using System.Net;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>
/// Models only LiteLLM's community file prices, called through the gateway with the official SDK: the cost equals the
/// file's own per-token arithmetic, and a key with a budget may call them (an unpriced model it could not).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CommunityPricingTests(GatewayFixture fx)
{
    // The usage knobs report 1,000 prompt tokens (200 cached) and 500 output: 800 uncached, 200 cache reads, 500 out.
    [Theory]
    // "deepseek/deepseek-r1": in 5.5e-07, cache hit 1.4e-07, out 2.19e-06 per token.
    // 800 x 5.5e-07 = 0.00044; 200 x 1.4e-07 = 0.000028; 500 x 2.19e-06 = 0.001095 -> 0.001563.
    [InlineData("deepseek/deepseek-r1", "0.001563")]
    // "moonshot/kimi-k2.6": in 9.5e-07, cache read 1.6e-07, out 4e-06.
    // 800 x 9.5e-07 = 0.00076; 200 x 1.6e-07 = 0.000032; 500 x 4e-06 = 0.002 -> 0.002792.
    [InlineData("moonshot/kimi-k2.6", "0.002792")]
    // "xai/grok-2": in 2e-06, out 1e-05, no cache price (cache reads at the input price).
    // 1,000 x 2e-06 = 0.002; 500 x 1e-05 = 0.005 -> 0.007.
    [InlineData("xai/grok-2", "0.007")]
    // "zai/glm-4.5": in 6e-07, out 2.2e-06. 1,000 x 6e-07 = 0.0006; 500 x 2.2e-06 = 0.0011 -> 0.0017.
    [InlineData("zhipu/glm-4.5", "0.0017")]
    // "groq/gemma-7b-it": in 5e-08, out 8e-08. 1,000 x 5e-08 = 0.00005; 500 x 8e-08 = 0.00004 -> 0.00009.
    [InlineData("groq/gemma-7b-it", "0.00009")]
    public async Task CompleteChat_CommunityModel_CostIsTheFilesArithmetic(string model, string expectedCost)
    {
        var expected = E2E.Dec(expectedCost);

        var result = await fx.Chat(model).CompleteChatAsync([new UserChatMessage(E2E.WithKnobs("Price me", E2E.UsageKnobs))]);

        Assert.Equal(expected, E2E.Cost(E2E.RawJson(result)["usage"]));
        var entry = await fx.LedgerEntryAsync(E2E.RequestId(result));
        Assert.False(entry["unpriced"]!.GetValue<bool>());
        E2E.AssertLedgerUsage(entry, input: 800, cacheRead: 200, output: 500, reasoning: 100, expected);
    }

    [Fact]
    public async Task BudgetedKey_CommunityModel_IsServedAndCharged()
    {
        using var created = await fx.PostAsync("/v1/keys", """{"name":"community","limit":{"retention":"month","threshold":1}}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var key = (string)(await E2E.JsonAsync(created))["data"]!["key"]!;

        // max_tokens bounds the reservation: grok-2's 131,072-token output limit at $10 per 1M would pass the $1 budget.
        using var chat = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("xai/grok-2", E2E.WithKnobs("Hi", E2E.UsageKnobs), ""","max_tokens":600"""), key);

        Assert.True(chat.StatusCode == HttpStatusCode.OK, await chat.Content.ReadAsStringAsync());
        Assert.Equal(0.007m, E2E.Cost((await E2E.JsonAsync(chat))["usage"]));
        using var info = await fx.GetAsync("/v1/key", key);
        var spend = JsonNode.Parse(await info.Content.ReadAsStringAsync())!;
        Assert.Contains("0.007", spend.ToJsonString(), StringComparison.Ordinal);
    }
}
