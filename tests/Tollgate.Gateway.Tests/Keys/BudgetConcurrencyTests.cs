using System.Net;
using Xunit.Abstractions;
using System.Text.Json;
using Tollgate.Gateway.Admission;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Core.Catalog;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>
/// The promise: a budget is never overspent, however many requests arrive at once.
/// Every request here is "Hello" to demo/priced ($0.001 per input token, $0.002 per output token) with
/// <c>max_tokens: 50</c> and the emulator's lorem reply of exactly 50 words.
/// Worst case reserved at first, on the prompt's byte bound: 4 per message + "user" 4 + "Hello" 5 = 13 tokens
/// + 13/4 = 3 + 16 margin = 32 tokens = $0.032, plus 50 output = $0.100: $0.132. A request that bound refuses is
/// counted again with the tokenizer: 6 tokens ("user" 1 + "Hello" 1 + 4 per message) + 1 + 16 = 23 = $0.023, $0.123.
/// Real cost: the emulator reports prompt 3 + 4 + ceil(5/4) = 9 tokens = $0.009 and 50 output = $0.100: $0.109.
/// </summary>
public sealed class BudgetConcurrencyTests(ITestOutputHelper output)
{
    internal const decimal WorstCase = 0.132m;
    internal const decimal TokenizedWorstCase = 0.123m;
    internal const decimal RealCost = 0.109m;

    // The budget covers exactly 50 first-pass worst cases: 50 × 0.132.
    internal const decimal Threshold = 6.60m;

    // The most that can ever fit: the 60th is admitted only while 59 × 0.109 + 0.123 = 6.554 ≤ 6.60.
    internal const int MostThatFit = 60;

    [Fact]
    public void WorstCase_HelloWith50MaxTokens_MatchesHandComputation()
    {
        var model = new ModelEntry { Provider = "demo", Model = "priced", Prices = new ModelPrices { Input = 1000m, Output = 2000m } };
        var messages = "[{\"role\":\"user\",\"content\":\"Hello\"}]"u8;
        var bytes = Tollgate.Gateway.Settlement.TokenEstimator.BoundPrompt(messages, tokenize: false).Tokens;
        var tokenized = Tollgate.Gateway.Settlement.TokenEstimator.BoundPrompt(messages).Tokens;

        Assert.Equal(13, bytes);
        Assert.Equal(6, tokenized);
        Assert.Equal(WorstCase, AdmissionControl.WorstCase(model, bytes, 50));
        Assert.Equal(TokenizedWorstCase, AdmissionControl.WorstCase(model, tokenized, 50));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_200ConcurrentOnBudgetFor50_NeverOverspends(bool stream)
    {
        await using var gw = await KeysGateway.StartAsync(latency: TimeSpan.FromMilliseconds(200));
        var created = await gw.CreateKeyAsync(new { name = "budget", limit = new { retention = "month", threshold = Threshold } });
        var key = created.GetProperty("key").GetString()!;
        var prefix = created.GetProperty("prefix").GetString()!;

        var admitted = await BudgetBurst.RunAsync(_ => gw, key, stream, "budget of $6.6 ");

        var spent = await SpentAsync(gw, prefix);
        output.WriteLine($"{(stream ? "streaming" : "non-streaming")}: 3 bursts of 200 → {admitted} admitted, ${spent} spent of ${Threshold} (worst case covers 50, real cost fits at most {MostThatFit})");

        Assert.InRange(admitted, 50, MostThatFit);
        Assert.Equal(admitted * RealCost, spent);
        Assert.True(spent <= Threshold, $"spent {spent} > {Threshold}");

        // The budget was used up to the last request it could cover: what is left cannot pay even the tokenizer's worst case.
        Assert.True(Threshold - spent < TokenizedWorstCase, $"left {Threshold - spent}");
        var snapshot = gw.Services.GetService<AdmissionControl>()!.Spend(gw.Services.GetService<Tollgate.Gateway.Keys.KeyCache>()!.FindByPrefix(prefix)!);
        Assert.Equal(spent, snapshot.Spent);
        Assert.Equal(0m, snapshot.Reserved);
    }

    [Fact]
    public async Task Chat_OverBudget_Returns429InsufficientQuotaNamingLimitAndReset()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 23, 59, 0, TimeSpan.Zero));
        await using var gw = await KeysGateway.StartAsync(clock);

        // "Hello" with max_tokens 10: worst case 23 × $0.001 + 10 × $0.002 = $0.043; real cost 9 × $0.001 + 2 ("Echo: Hello") × $0.002 = $0.013.
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "day", threshold = 0.05 } });
        var key = created.GetProperty("key").GetString();

        using var first = await gw.ChatAsync(key);
        using var second = await gw.ChatAsync(key);
        var error = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        clock.Advance(TimeSpan.FromMinutes(2));
        using var nextDay = await gw.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("insufficient_quota", error.GetProperty("code").GetString());
        Assert.Equal("insufficient_quota", error.GetProperty("type").GetString());

        // $0.013 spent + $0.043 > $0.05.
        Assert.Equal("This key's budget of $0.05 per UTC day does not cover this request: $0.013 spent, $0 reserved by requests in flight, and this request may cost up to $0.043. It resets at 2026-11-25T00:00:00Z.", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task Budget_AfterRestart_KeepsThisPeriodsSpendFromTheLedger()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tollgate-keys-" + Guid.NewGuid().ToString("N"));
        await using var gw = await KeysGateway.StartAsync(dataDir: dataDir);
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "day", threshold = 1 } });
        var key = created.GetProperty("key").GetString();
        for (var i = 0; i < 3; i++)
        {
            using var chat = await gw.ChatAsync(key);
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        await gw.RestartAsync();
        using var billing = await gw.SendAsync(HttpMethod.Get, "/v2/billing", key);
        var body = JsonDocument.Parse(await billing.Content.ReadAsStringAsync()).RootElement;

        // 3 × $0.013 = $0.039 spent before the restart; $1 - $0.039 = $0.961 left.
        Assert.Equal(0.961m, body.GetProperty("current_balance").GetDecimal());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
    }

    internal static async Task<decimal> SpentAsync(KeysGateway gw, string prefix)
    {
        using var usage = await gw.SendAsync(HttpMethod.Get, $"/v1/usage?key={prefix}", KeysGateway.Master);
        return JsonDocument.Parse(await usage.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetProperty("cost").GetDecimal();
    }
}
