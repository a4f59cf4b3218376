using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>
/// Clamped reservations are reservations: under concurrency, clamped requests together never pass the threshold.
/// <c>demo/priced</c> costs $0.001 per input and $0.002 per output token, so 1000 output tokens alone are $2; the
/// emulator's lorem reply is exactly as long as the limit it receives, so each answer spends nearly all it reserved.
/// </summary>
public sealed class ClampConcurrencyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task Clamp_60ConcurrentRequestsEachPastTheBudget_AllClampedNeverOverspends(string budgets)
    {
        await using var gw = await KeysGateway.StartAsync(latency: TimeSpan.FromMilliseconds(100), configure: o => budgets == "redis" ? o with { RedisUrl = SharedState.SharedServers.RedisUrl } : o);
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1.5, clamp_min_output = 50 } });
        var key = created.GetProperty("key").GetString()!;
        var prefix = created.GetProperty("prefix").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => gw.ChatAsync(key, maxTokens: 1000, lorem: true, stream: i % 2 == 1)));

        var admitted = 0;
        var clamped = 0;
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    admitted++;
                    clamped += response.Headers.Contains("x-tollgate-max-tokens-clamped") ? 1 : 0;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                    Assert.Contains("insufficient_quota", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }
        }

        var spent = await BudgetConcurrencyTests.SpentAsync(gw, prefix);
        output.WriteLine($"{budgets}: 60 concurrent, max_tokens 1000 on $1.50: {admitted} admitted ({clamped} clamped), ${spent} spent");

        // One full answer's worst case is over $2: every admitted request was clamped, each to what was left then (the
        // first to arrive is given all of it, so the others find too little left: refused, none over the threshold).
        Assert.InRange(admitted, 1, 60);
        Assert.Equal(admitted, clamped);
        Assert.True(spent <= 1.5m, $"spent {spent} > 1.5");
        // Nearly all of it is used: what is left cannot cover a prompt and 50 output tokens ($0.1 and the prompt).
        Assert.True(1.5m - spent < 0.2m, $"left {1.5m - spent}");
    }
}
