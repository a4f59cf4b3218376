using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Tests.Keys;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.SharedState;

/// <summary>
/// Two gateway instances (two hosts, each with its own data directory) on one PostgreSQL and one Redis behave as one:
/// a key's limits and budget hold across both, and a key change made on one reaches the other at once.
/// Prices and the worst case are those of <see cref="BudgetConcurrencyTests"/>: "Hello" with max_tokens 50 and the
/// emulator's 50-word reply reserves $0.132 on its byte bound ($0.123 by the tokenizer's count) and costs $0.109.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output)
{
    private const decimal WorstCase = BudgetConcurrencyTests.TokenizedWorstCase;
    private const decimal RealCost = BudgetConcurrencyTests.RealCost;
    private const decimal Threshold = BudgetConcurrencyTests.Threshold;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Budget_200ConcurrentSpreadOverTwoInstances_NeverOverspends(bool stream)
    {
        var (a, b) = await StartPairAsync(latency: TimeSpan.FromMilliseconds(200));
        await using (a)
        await using (b)
        {
            var created = await a.CreateKeyAsync(new { name = "shared budget", limit = new { retention = "month", threshold = Threshold } });
            var key = created.GetProperty("key").GetString()!;
            var prefix = created.GetProperty("prefix").GetString()!;
            await WaitForKeyAsync(b, key);

            var admitted = await BudgetBurst.RunAsync(i => i % 2 == 0 ? a : b, key, stream, "budget of $6.6 ");

            // Settlements reach Redis asynchronously after each response: give the last ones a bounded moment to land.
            var spentA = await BudgetConcurrencyTests.SpentAsync(a, prefix);
            var spentB = await BudgetConcurrencyTests.SpentAsync(b, prefix);
            for (var i = 0; i < 50 && spentA != spentB; i++)
            {
                await Task.Delay(100);
                spentA = await BudgetConcurrencyTests.SpentAsync(a, prefix);
                spentB = await BudgetConcurrencyTests.SpentAsync(b, prefix);
            }

            output.WriteLine($"{(stream ? "streaming" : "non-streaming")}, 2 instances: 3 bursts of 200 → {admitted} admitted, ${spentA} spent of ${Threshold}");

            // One ledger: both instances see the same spend, every admitted request in it, and never past the threshold.
            Assert.Equal(spentA, spentB);
            Assert.InRange(admitted, 50, BudgetConcurrencyTests.MostThatFit);
            // Every delivered response is charged in the ledger. (Once in about seven streaming runs the ledger held one
            // charged entry more than the client counted as delivered; the threshold held every time.)
            Assert.True(spentA >= admitted * RealCost, $"spent {spentA} < {admitted} × {RealCost}");
            Assert.Equal(0m, spentA % RealCost);
            Assert.True(spentA <= Threshold, $"spent {spentA} > {Threshold}");
            Assert.True(Threshold - spentA < WorstCase, $"left {Threshold - spentA}");
        }
    }

    [Fact]
    public async Task Rpm_100SimultaneousSpreadOverTwoInstances_ExactlyTheLimitPass()
    {
        // One clock for both, mid-minute, so every request falls in the same window.
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 10, 30, 20, TimeSpan.Zero));
        var (a, b) = await StartPairAsync(clock);
        await using (a)
        await using (b)
        {
            var key = (await a.CreateKeyAsync(new { rpm = 60 })).GetProperty("key").GetString()!;
            await WaitForKeyAsync(b, key);

            var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? a : b).ChatAsync(key)));

            var passed = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
            output.WriteLine($"rpm 60, 100 simultaneous over 2 instances: {passed} passed, {responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests)} got 429");
            Assert.Equal(60, passed);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
            foreach (var r in responses)
            {
                r.Dispose();
            }
        }
    }

    [Fact]
    public async Task TpmAndMaxParallel_SimultaneousOverTwoInstances_HoldExactly()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 10, 30, 20, TimeSpan.Zero));
        var (a, b) = await StartPairAsync(clock, TimeSpan.FromSeconds(2));
        await using (a)
        await using (b)
        {
            // A request takes its worst case of the window at admission: "Hello" bounds at 13 prompt tokens by its bytes
            // (4 per message + "user" 4 + "Hello" 5), with the margin 13 + 3 + 16 = 32, plus max_tokens 10: 42. The
            // upstream holds each answer 2 s, so none settles (back to its real usage) during the burst: 10.5
            // requests' worth of TPM admit exactly 10, and the 21 left cannot take even the tokenizer's 6 + 1 + 16 + 10 = 33.
            const long reserved = 13 + (13 / 4) + 16 + 10;
            var tpmKey = (await a.CreateKeyAsync(new { tpm = (10 * reserved) + (reserved / 2) })).GetProperty("key").GetString()!;
            var parallelKey = (await a.CreateKeyAsync(new { max_parallel = 4 })).GetProperty("key").GetString()!;
            await WaitForKeyAsync(b, parallelKey);

            var tpm = Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).ChatAsync(tpmKey)));
            var parallel = Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).ChatAsync(parallelKey)));
            var tpmResponses = await tpm;
            var parallelResponses = await parallel;

            Assert.Equal(10, tpmResponses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(4, parallelResponses.Count(r => r.StatusCode == HttpStatusCode.OK));

            // Every slot came back when its request ended.
            using var again = await b.ChatAsync(parallelKey);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            foreach (var r in tpmResponses.Concat(parallelResponses))
            {
                r.Dispose();
            }
        }
    }

    [Fact]
    public async Task KeyDisabledOnOneInstance_IsRefusedByTheOtherWithinASecond()
    {
        var (a, b) = await StartPairAsync();
        await using (a)
        await using (b)
        {
            var created = await a.CreateKeyAsync(new { name = "to disable" });
            var key = created.GetProperty("key").GetString()!;
            await WaitForKeyAsync(b, key);

            using (var disable = await a.SendAsync(HttpMethod.Patch, "/v1/keys/" + created.GetProperty("prefix").GetString(), KeysGateway.Master, new { disabled = true }))
            {
                Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            }

            var clock = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                using var r = await b.ChatAsync(key);
                status = r.StatusCode;
            }
            while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));

            output.WriteLine($"disabled on instance A, refused by instance B after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.NotEqual(HttpStatusCode.OK, status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task StoredResponse_CreatedOnOneInstance_IsContinuedAndReadOnTheOther()
    {
        var (a, b) = await StartPairAsync();
        await using (a)
        await using (b)
        {
            var key = (await a.CreateKeyAsync(new { name = "responses" })).GetProperty("key").GetString()!;
            await WaitForKeyAsync(b, key);

            string id;
            using (var first = await a.SendAsync(HttpMethod.Post, "/v1/responses", key, new { model = KeysGateway.Model, input = "My name is Ada", store = true }))
            {
                var text = await first.Content.ReadAsStringAsync();
                Assert.True(first.StatusCode == HttpStatusCode.OK, text);
                id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
            }

            // The other instance reads it, and continues the conversation from it.
            using (var read = await b.SendAsync(HttpMethod.Get, "/v1/responses/" + id, key))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.Equal(id, JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
            }

            using (var next = await b.SendAsync(HttpMethod.Post, "/v1/responses", key, new { model = KeysGateway.Model, input = "What is my name?", previous_response_id = id, store = true }))
            {
                var text = await next.Content.ReadAsStringAsync();
                Assert.True(next.StatusCode == HttpStatusCode.OK, text);
                Assert.Equal(id, JsonDocument.Parse(text).RootElement.GetProperty("previous_response_id").GetString());
            }

            // Only its owner sees it, on any instance; deleted on one, it is gone on both.
            using (var other = await b.SendAsync(HttpMethod.Get, "/v1/responses/" + id, KeysGateway.Master))
            {
                Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            }

            using (var delete = await b.SendAsync(HttpMethod.Delete, "/v1/responses/" + id, key))
            {
                Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            }

            using var gone = await a.SendAsync(HttpMethod.Get, "/v1/responses/" + id, key);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task KeysCommandAndDbMigrate_OnPostgres_ReachARunningGateway()
    {
        var database = await SharedServers.NewDatabaseAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await global::Tollgate.Cli.CliApp.RunAsync(["db", "migrate", "--database-url", database], output, error));
        Assert.Contains("Now at version", output.ToString(), StringComparison.Ordinal);

        await using var gw = await KeysGateway.StartAsync(configure: o => o with { DatabaseUrl = database });
        output = new StringWriter();
        Assert.Equal(0, await global::Tollgate.Cli.CliApp.RunAsync(["keys", "create", "--name", "from cli", "--rpm", "5", "--database-url", database, "--json"], output, error));
        var key = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("key").GetString()!;

        await WaitForKeyAsync(gw, key);
        var status = new StringWriter();
        Assert.Equal(0, await global::Tollgate.Cli.CliApp.RunAsync(["db", "status", "--database-url", database], status, error));
        Assert.DoesNotContain("pending", status.ToString(), StringComparison.Ordinal);
        using var health = await gw.SendAsync(HttpMethod.Get, "/health", null);
        var body = await health.Content.ReadAsStringAsync();
        Assert.Contains("\"database\":\"postgres://", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Tollgate.Storage.Postgres.PostgresUrl.ToBuilder(database).Password!, body, StringComparison.Ordinal);
    }

    private static async Task<(KeysGateway A, KeysGateway B)> StartPairAsync(TimeProvider? clock = null, TimeSpan? latency = null)
    {
        var database = await SharedServers.NewDatabaseAsync();
        GatewayOptions Shared(GatewayOptions o) => o with { DatabaseUrl = database, RedisUrl = SharedServers.RedisUrl };
        var a = await KeysGateway.StartAsync(clock, latency, configure: Shared);
        var b = await KeysGateway.StartAsync(clock, latency, configure: Shared);
        return (a, b);
    }

    /// <summary>Waits until <paramref name="gw"/> knows the key (GET /v1/key answers 200).</summary>
    private static async Task WaitForKeyAsync(KeysGateway gw, string key)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var r = await gw.SendAsync(HttpMethod.Get, "/v1/key", key);
            if (r.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the other instance did not learn the key: {r.StatusCode}");
            await Task.Delay(10);
        }
    }
}
