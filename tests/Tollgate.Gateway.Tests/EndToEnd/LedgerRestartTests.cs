using System.Net;
using OpenAI.Chat;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>The ledger and the generated master key survive a clean shutdown and a new start on the same data directory.</summary>
[Collection(GatewayCollection.Name)]
public sealed class LedgerRestartTests(GatewayFixture fx)
{
    [Fact]
    public async Task Restart_SameDataDirectory_EveryEntryAndTheGeneratedKeySurvive()
    {
        var dataDirectory = fx.NewDataDirectory();
        TestCatalog.WriteTo(dataDirectory);

        // Zero config: no provider key, no master key: the demo provider and a generated key.
        var env = new Dictionary<string, string> { ["TOLLGATE_DATA_DIR"] = dataDirectory };
        var options = GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), null);
        Assert.True(options.Demo);
        Assert.Null(options.MasterKey);

        string key;
        await using (var first = await RunningGateway.StartAsync(options, fx.Logs))
        {
            key = File.ReadAllText(Path.Combine(dataDirectory, "master.key")).Trim();
            Assert.StartsWith("tg-master-", key, StringComparison.Ordinal);

            var client = fx.Chat("demo/demo-chat", key, first);
            for (var i = 0; i < 3; i++)
            {
                var result = await client.CompleteChatAsync([new UserChatMessage(E2E.WithKnobs($"request {i}", "prompt_tokens=100 completion_tokens=50"))]);

                // demo-chat at 1.00 input / 2.00 output per 1M: 100 x 1 + 50 x 2 = 200 -> 0.0002
                Assert.Equal(0.0002m, E2E.Cost(E2E.RawJson(result)["usage"]));
            }

            using (var stream = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("demo/demo-chat", "streamed", ""","stream":true"""), key, first))
            {
                await E2E.ReadSseAsync(stream);
            }

            using (var missing = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("no-such-model-anywhere", "x"), key, first))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }

            // Read without GET /v1/requests first: that would flush the ledger and hide a shutdown that loses entries.
        }

        await using (var second = await RunningGateway.StartAsync(options, fx.Logs))
        {
            // The key generated on the first start still works, and no new one was written.
            Assert.Equal(key, File.ReadAllText(Path.Combine(dataDirectory, "master.key")).Trim());
            var entries = await fx.LedgerAsync(second, limit: 100, key: key);
            using var denied = await fx.GetAsync("/v1/requests", GatewayFixture.MasterKey, second);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

            Assert.Equal(5, entries.Count);
            var chats = entries.Where(e => (string?)e!["model"] == "demo/demo-chat" && !e["stream"]!.GetValue<bool>()).ToList();
            Assert.Equal(3, chats.Count);
            Assert.All(chats, e =>
            {
                Assert.Equal(200, e!["status"]!.GetValue<int>());
                Assert.Equal(0.0002m, e["cost"]!.GetValue<decimal>());
                Assert.Equal(100, e["usage"]!["input_tokens"]!.GetValue<long>());
                Assert.Equal(50, e["usage"]!["output_tokens"]!.GetValue<long>());
            });
            Assert.Single(entries, e => e!["stream"]!.GetValue<bool>() && e["cost"] is not null);
            Assert.Single(entries, e => e!["status"]!.GetValue<int>() == 404);
        }
    }
}
