using Microsoft.Extensions.Time.Testing;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>Each strategy's choice between healthy deployments, as the per-instance request counters see it.</summary>
public sealed class StrategyDistributionTests
{
    private static string Group(string strategy, string first, string second, string firstModel = "gpt-4o-mini", string secondModel = "gpt-4o-mini", int firstWeight = 1, int secondWeight = 1) =>
        $$"""
        { "g": { "strategy": "{{strategy}}", "deployments": [
            { "provider": "{{first}}", "model": "{{firstModel}}", "weight": {{firstWeight}} },
            { "provider": "{{second}}", "model": "{{secondModel}}", "weight": {{secondWeight}} } ] } }
        """;

    [Fact]
    public async Task Weighted_3To1_Over400Requests_WithinFourSigma()
    {
        await using var gateway = await RoutingGateway.StartAsync([new Upstream("heavy"), new Upstream("light")], Group("weighted", "heavy", "light", firstWeight: 3));
        var chat = gateway.OpenAI().GetChatClient("g");

        for (var i = 0; i < 400; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("w")]);
        }

        // heavy's count is Binomial(400, 0.75): mean 300, σ = √(400 · 0.75 · 0.25) ≈ 8.66; 4σ ≈ 35 leaves [265, 335],
        // which a fair 3:1 draw misses about once in 16 000 runs, and a 1:1 (mean 200) or 1:0 (400) draw never meets.
        Assert.InRange(gateway.Count("heavy"), 265, 335);
        Assert.Equal(400, gateway.Count("heavy") + gateway.Count("light"));
    }

    [Fact]
    public async Task Priority_AlwaysTheFirstWhileHealthy()
    {
        await using var gateway = await RoutingGateway.StartAsync([new Upstream("first"), new Upstream("second")], Group("priority", "first", "second"));
        var chat = gateway.OpenAI().GetChatClient("g");

        for (var i = 0; i < 50; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("p")]);
            Assert.Equal("first", gateway.LastProvider);
        }

        Assert.Equal(50, gateway.Count("first"));
        Assert.Equal(0, gateway.Count("second"));
    }

    [Fact]
    public async Task LeastBusy_MostGoToTheFastOneUnderConcurrency()
    {
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("slow", Faults: """{"status": 200, "latency_ms": 2000}"""), new Upstream("fast")],
            Group("least_busy", "slow", "fast"));
        var chat = gateway.OpenAI().GetChatClient("g");

        // 4 clients, 10 requests each. A request goes to the slow deployment only when it has no more in flight than
        // the fast one: at a tie, or while the fast one happens to hold more (it does, for a moment, under 4 clients).
        // Each slow pick then holds its client for 2 s while the others are served fast, so slow picks stay few: how
        // few depends on how fast "fast" is on a loaded machine (up to about 10 of 40 seen with 1 s holds and a busy
        // CPU). A choice blind to what is in flight sends about half (20 of 40) there.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 10; i++)
            {
                ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("busy")]);
                Assert.Equal("Echo: busy", completion.Content[0].Text);
            }
        }));

        Assert.Equal(40, gateway.Count("slow") + gateway.Count("fast"));
        Assert.True(gateway.Count("slow") <= 12, $"slow got {gateway.Count("slow")} of 40");
    }

    [Fact]
    public async Task Cost_PicksTheCheaperCatalogModel()
    {
        // Catalog prices are per (provider, model), so both deployments are on the provider id "openai" (one emulator):
        // gpt-4o ($2.50 / $10 per 1M) is listed first, gpt-4o-mini ($0.15 / $0.60) is cheaper for every request size.
        await using var gateway = await RoutingGateway.StartAsync([new Upstream("openai")], Group("cost", "openai", "openai", firstModel: "gpt-4o"));
        var chat = gateway.OpenAI().GetChatClient("g");

        for (var i = 0; i < 20; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("c")]);
            Assert.Equal("gpt-4o-mini", gateway.LastHeaders.GetValues("x-tollgate-model").Single());
        }

        Assert.Equal(20, gateway.Count("openai"));
    }

    [Fact]
    public async Task Latency_AfterOneTurnsSlow_MostGoToTheOther()
    {
        await using var gateway = await RoutingGateway.StartAsync([new Upstream("a"), new Upstream("b")], Group("latency", "a", "b"));
        var chat = gateway.OpenAI().GetChatClient("g");
        for (var i = 0; i < 10; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("warm")]);
        }

        Assert.True(gateway.Count("a") >= 1 && gateway.Count("b") >= 1, "both measured first");
        gateway.Instances["a"].Control.SetFaults(Tollgate.Emulator.EmulatorFaultRule.Parse("""{"status": 200, "latency_ms": 300}"""));
        var before = gateway.Count("a");
        for (var i = 0; i < 40; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("l")]);
        }

        // One slow answer (at most one request, the one that measures it) lifts a's EWMA (α = 0.3) far above b's few
        // milliseconds; after that a is first only for the 5 % drawn at random: Binomial(40, 0.05), mean 2, σ ≈ 1.4,
        // so 1 + 7 is beyond 3.5σ; each of those answers slowly too, keeping a's EWMA high.
        var slow = gateway.Count("a") - before;
        Assert.True(slow <= 8, $"a got {slow} of 40 after turning slow");
        Assert.Equal(50, gateway.Count("a") + gateway.Count("b"));
    }

    [Fact]
    public async Task FreeFirst_FreeUntilItsRpmIsUsed_ThenPaid_ThenFreeAgainNextMinute()
    {
        // The gateway's clock is one we move: the quota's UTC minute cannot end during the test by accident.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 1, TimeSpan.Zero));
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("paid"), new Upstream("free", Free: true, Limits: """{"rpm": 3}""")],
            Group("free_first", "paid", "free"),
            timeProvider: clock);
        var chat = gateway.OpenAI().GetChatClient("g");

        var providers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("f")]);
            providers.Add(gateway.LastProvider);
        }

        Assert.Equal(["free", "free", "free", "paid", "paid", "paid"], providers);
        clock.Advance(TimeSpan.FromMinutes(1));
        await chat.CompleteChatAsync([new UserChatMessage("f")]);
        Assert.Equal("free", gateway.LastProvider);
        Assert.Equal(4, gateway.Count("free"));
        Assert.Equal(3, gateway.Count("paid"));
    }
}
