using System.Net;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary><c>GET /v1/requests</c>: every request with its cost, master key only, limit validated.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RequestsEndpointTests(GatewayFixture fx)
{
    [Fact]
    public async Task List_AfterMixedRequests_EveryRequestAppearsWithItsCost()
    {
        var expected = new Dictionary<string, (int Status, decimal? Cost, string Endpoint)>();

        var chat = await fx.Chat("openai/gpt-4o").CompleteChatAsync([new UserChatMessage(E2E.WithKnobs("one", E2E.UsageKnobs))]);
        expected[E2E.RequestId(chat)] = (200, E2E.Cost(E2E.RawJson(chat)["usage"]), "chat");

        using (var stream = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("xai/grok-4", E2E.WithKnobs("two", E2E.UsageKnobs), ""","stream":true""")))
        {
            expected[E2E.RequestId(stream)] = (200, 0.01005m, "chat");
            await E2E.ReadSseAsync(stream);
        }

        var embedding = await fx.Embeddings("openai/text-embedding-3-small").GenerateEmbeddingAsync("four words of text");
        expected[E2E.RequestId(embedding)] = (200, E2E.Cost(E2E.RawJson(embedding)["usage"]), "embeddings");

        using (var unknown = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("no-such-model-anywhere", "three")))
        {
            expected[E2E.RequestId(unknown)] = (404, null, "chat");
        }

        using (var bad = await fx.PostAsync("/v1/chat/completions", """{"model":"openai/gpt-4o","messages":"nope"}"""))
        {
            expected[E2E.RequestId(bad)] = (400, null, "chat");
        }

        using (var upstream = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("five", "status=429"))))
        {
            expected[E2E.RequestId(upstream)] = (429, null, "chat");
        }

        using (var refused = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", "six"), key: "tg-wrong-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            expected[E2E.RequestId(refused)] = (401, null, "chat");
        }

        var entries = await fx.LedgerAsync();
        foreach (var (id, (status, cost, endpoint)) in expected)
        {
            var entry = Assert.Single(entries, e => (string?)e!["id"] == id)!;
            Assert.Equal(status, entry["status"]!.GetValue<int>());
            Assert.Equal(cost, entry["cost"]?.GetValue<decimal>());
            Assert.Equal(endpoint, (string?)entry["endpoint"]);
            Assert.True(entry["latency_ms"]!.GetValue<double>() >= 0);
            Assert.True(DateTimeOffset.TryParse((string?)entry["created_at"], System.Globalization.CultureInfo.InvariantCulture, out _));
        }

        // The priced successes carry real costs.
        Assert.All(expected.Where(e => e.Value.Status == 200), e => Assert.True(e.Value.Cost > 0m));
    }

    [Fact]
    public async Task Get_AnsweredRequest_ListsItsAttemptWithTheAnsweringProvider()
    {
        using var chat = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("attempts", E2E.UsageKnobs)));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var id = E2E.RequestId(chat);

        using var detail = await fx.GetAsync("/v1/requests/" + id);
        var entry = System.Text.Json.Nodes.JsonNode.Parse(await detail.Content.ReadAsStringAsync())!;
        var listed = await fx.LedgerEntryAsync(id);

        foreach (var e in new[] { entry, listed })
        {
            var attempt = Assert.Single(e["attempts"]!.AsArray())!;
            Assert.Equal(("openai", "gpt-4o", 200), ((string?)attempt["provider"], (string?)attempt["model"], attempt["status"]!.GetValue<int>()));
            Assert.Null(attempt["failure"]);
            Assert.True(attempt["latency_ms"]!.GetValue<double>() >= 0);
            Assert.True(e.AsObject().ContainsKey("list_cost"));
            Assert.Null(e["list_cost"]); // not a free tier: the cost is the list price
        }
    }

    [Fact]
    public async Task List_RequestRefusedBeforeSending_HasNoAttempts()
    {
        using var refused = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", "no key"), key: "tg-wrong-key");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(refused));

        Assert.Empty(entry["attempts"]!.AsArray());
    }

    [Fact]
    public async Task List_Limit_ReturnsNewestFirst()
    {
        var first = await fx.Chat("openai/gpt-4o-mini").CompleteChatAsync([new UserChatMessage("older")]);
        var second = await fx.Chat("openai/gpt-4o-mini").CompleteChatAsync([new UserChatMessage("newer")]);

        var entries = await fx.LedgerAsync(limit: 2);
        Assert.Equal(2, entries.Count);
        Assert.Equal(E2E.RequestId(second), (string?)entries[0]!["id"]);
        Assert.Equal(E2E.RequestId(first), (string?)entries[1]!["id"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("10001")]
    [InlineData("1.5")]
    [InlineData("")]
    public async Task List_BadLimit_Is400(string limit)
    {
        using var response = await fx.GetAsync("/v1/requests?limit=" + limit);
        var error = await E2E.AssertErrorAsync(response, 400);
        Assert.Equal("limit", (string?)error["param"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("tg-wrong-key")]
    public async Task List_WithoutMasterKey_Is401(string? key)
    {
        using var response = await fx.GetAsync("/v1/requests", key);
        await E2E.AssertErrorAsync(response, (int)HttpStatusCode.Unauthorized);
    }
}
