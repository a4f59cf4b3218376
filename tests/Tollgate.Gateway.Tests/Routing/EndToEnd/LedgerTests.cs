using System.ClientModel;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>Retried requests in the ledger and in a budgeted key's spend: one entry each, the answering attempt's cost only.</summary>
public sealed class LedgerTests
{
    // The answering provider is called "openai" so that the catalog's openai/gpt-4o-mini prices it:
    // $0.15 input, $0.60 output per 1M: 1000 × 0.15 / 1M + 500 × 0.60 / 1M.
    private const decimal AnswerCost = 0.00045m;

    // A budgeted key may use priced models only: the custom providers' deployments get the catalog's price of the
    // model (what the catalog's own openai/gpt-4o-mini has), so a request that fails on them would cost the same.
    private const string Prices = "\"prices\": { \"input\": 0.15, \"output\": 0.60 }, \"context_window\": 128000, \"max_output\": 16384";

    [Fact]
    public async Task RetriedRequests_OneLedgerEntryEach_KeySpendIsTheAnsweringAttemptsCost()
    {
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("bad", Faults: """{"status": 500}"""), new Upstream("openai"), new Upstream("down", Faults: """{"status": 503, "retry_after": 0}""")],
            $$"""
            { "g": { "deployments": [ { "provider": "bad", "model": "gpt-4o-mini" }, { "provider": "openai", "model": "gpt-4o-mini" } ], {{Prices}} },
              "lost": { "deployments": [ { "provider": "bad", "model": "gpt-4o-mini" }, { "provider": "down", "model": "gpt-4o-mini" } ], {{Prices}} } }
            """,
            """{ "backoff_ms": 1, "max_backoff_ms": 10, "breaker": { "failures": 0 } }""");

        using var create = await gateway.Http.PostAsync("/v1/keys", RoutingGateway.Json("""{"name": "budgeted", "limit": {"retention": "month", "threshold": 1}}"""));
        create.EnsureSuccessStatusCode();
        var created = JsonNode.Parse(await create.Content.ReadAsStringAsync())!["data"]!;
        var key = (string)created["key"]!;
        var chat = gateway.OpenAI(key).GetChatClient("g");

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("#emulator prompt_tokens=1000 completion_tokens=500\nledger")]);
            Assert.Equal(2, gateway.LastAttempts);
            ids.Add(gateway.LastHeaders.GetValues("x-tollgate-request-id").Single());
        }

        var error = await Assert.ThrowsAsync<ClientResultException>(() => gateway.OpenAI(key).GetChatClient("lost").CompleteChatAsync([new UserChatMessage("lost")]));
        Assert.True(error.Status >= 500, error.Message);
        var lostId = gateway.LastHeaders.GetValues("x-tollgate-request-id").Single();

        var entries = await gateway.LedgerAsync(5);
        Assert.Equal(5, entries.Count);
        foreach (var id in ids)
        {
            var entry = Assert.Single(entries, e => (string?)e!["id"] == id)!;
            Assert.Equal("openai", (string?)entry["provider"]);
            Assert.Equal(200, (int)entry["status"]!);
            Assert.Equal(AnswerCost, entry["cost"]!.GetValue<decimal>());
        }

        var lost = Assert.Single(entries, e => (string?)e!["id"] == lostId)!;
        Assert.Equal(error.Status, (int)lost["status"]!);

        using var usage = new HttpRequestMessage(HttpMethod.Get, "/v2/billing/detail");
        usage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var billing = await gateway.Http.SendAsync(usage);
        var spent = JsonNode.Parse(await billing.Content.ReadAsStringAsync())!["spent"]!.GetValue<decimal>();
        Assert.Equal(4 * AnswerCost, spent);
    }
}
