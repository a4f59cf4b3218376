using Microsoft.Extensions.Time.Testing;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>A deployment's circuit opens after its failures, keeps requests away, and lets a probe through after open_s.</summary>
public sealed class BreakerTests
{
    [Fact]
    public async Task FailingDeployment_OpensAfterTwoFailures_ProbedAgainAfterOpenS()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("bad", Faults: """{"status": 500}"""), new Upstream("good")],
            """{ "g": { "deployments": [ { "provider": "bad", "model": "gpt-4o-mini" }, { "provider": "good", "model": "gpt-4o-mini" } ] } }""",
            """{ "breaker": { "failures": 2, "window_s": 30, "open_s": 30 } }""",
            clock);
        var chat = gateway.OpenAI().GetChatClient("g");

        for (var i = 0; i < 2; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("b")]);
            Assert.Equal("good", gateway.LastProvider);
            Assert.Equal(2, gateway.LastAttempts);
        }

        Assert.Equal(2, gateway.Count("bad"));

        // Open: the failing deployment is passed over, its counter stops.
        for (var i = 0; i < 5; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("b")]);
            Assert.Equal("good", gateway.LastProvider);
            Assert.Equal(1, gateway.LastAttempts);
        }

        Assert.Equal(2, gateway.Count("bad"));

        // Still open just before open_s.
        clock.Advance(TimeSpan.FromSeconds(29));
        await chat.CompleteChatAsync([new UserChatMessage("b")]);
        Assert.Equal(2, gateway.Count("bad"));

        // After open_s the next request probes it; now healthy, the probe succeeds and the circuit closes.
        gateway.Instances["bad"].Control.ClearFaults();
        clock.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 3; i++)
        {
            ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("probe")]);
            Assert.Equal("Echo: probe", completion.Content[0].Text);
            Assert.Equal("bad", gateway.LastProvider);
        }

        Assert.Equal(5, gateway.Count("bad"));
        Assert.Equal(8, gateway.Count("good"));
    }
}
