using System.ClientModel;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>A provider's 400 is the client's error: passed on as it is, never retried elsewhere.</summary>
public sealed class NoRetryOnClientErrorTests
{
    [Fact]
    public async Task Provider400_PassedOnAndTheSecondDeploymentNeverTried()
    {
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("first", Faults: """{"status": 400}"""), new Upstream("second")],
            """{ "g": { "deployments": [ { "provider": "first", "model": "gpt-4o-mini" }, { "provider": "second", "model": "gpt-4o-mini" } ] } }""");
        var chat = gateway.OpenAI().GetChatClient("g");

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hello")]));
            Assert.Equal(400, error.Status);
            Assert.Equal("first", gateway.LastProvider);
            Assert.Equal(1, gateway.LastAttempts);
        }

        Assert.Equal(3, gateway.Count("first"));
        Assert.Equal(0, gateway.Count("second"));
    }
}
