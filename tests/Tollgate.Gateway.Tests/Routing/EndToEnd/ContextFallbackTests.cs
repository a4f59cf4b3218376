using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>A deployment that says the prompt is too long sends the request to the group's context fallback.</summary>
public sealed class ContextFallbackTests
{
    [Fact]
    public async Task LongPrompt_GoesToTheContextFallbackGroup_ShortOneStays()
    {
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("small", Faults: """{"context_window": 1000}"""), new Upstream("big")],
            """
            { "short": { "deployments": [ { "provider": "small", "model": "gpt-4o-mini" } ], "context_fallbacks": ["long"] },
              "long": { "deployments": [ { "provider": "big", "model": "gpt-4o-mini" } ] } }
            """);
        var chat = gateway.OpenAI().GetChatClient("short");

        ChatCompletion brief = await chat.CompleteChatAsync([new UserChatMessage("brief")]);
        Assert.Equal("Echo: brief", brief.Content[0].Text);
        Assert.Equal("small", gateway.LastProvider);

        ChatCompletion longer = await chat.CompleteChatAsync([new UserChatMessage("#emulator prompt_tokens=5000\nlonger")]);
        Assert.Equal("Echo: longer", longer.Content[0].Text);
        Assert.Equal(5000, longer.Usage.InputTokenCount);
        Assert.Equal("big", gateway.LastProvider);
        Assert.Equal(2, gateway.LastAttempts);

        Assert.Equal(2, gateway.Count("small"));
        Assert.Equal(1, gateway.Count("big"));
    }
}
