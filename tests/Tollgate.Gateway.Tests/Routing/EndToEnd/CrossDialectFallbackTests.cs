using System.Text;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>An OpenAI client whose group mixes an Anthropic-dialect and an OpenAI-dialect deployment: either may fail.</summary>
public sealed class CrossDialectFallbackTests
{
    [Theory]
    [InlineData("anthropic", "openai", false)]
    [InlineData("anthropic", "openai", true)]
    [InlineData("openai", "anthropic", false)]
    [InlineData("openai", "anthropic", true)]
    public async Task FirstDialectFails_TheOtherAnswersInTheClientsShape(string failing, string healthy, bool stream)
    {
        static string Model(string dialect) => dialect == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini";
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("bad", failing, """{"status": 500}"""), new Upstream("good", healthy)],
            $$"""{ "g": { "deployments": [ { "provider": "bad", "model": "{{Model(failing)}}" }, { "provider": "good", "model": "{{Model(healthy)}}" } ] } }""",
            """{ "breaker": { "failures": 0 } }""");
        var chat = gateway.OpenAI().GetChatClient("g");

        for (var i = 0; i < 3; i++)
        {
            string reply;
            if (stream)
            {
                var text = new StringBuilder();
                await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("cross " + i)]))
                {
                    foreach (var part in update.ContentUpdate)
                    {
                        text.Append(part.Text);
                    }
                }

                reply = text.ToString();
            }
            else
            {
                ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("cross " + i)]);
                reply = completion.Content[0].Text;
            }

            Assert.Equal("Echo: cross " + i, reply);
            Assert.Equal("good", gateway.LastProvider);
            Assert.Equal(Model(healthy), gateway.LastHeaders.GetValues("x-tollgate-model").Single());
            Assert.Equal(2, gateway.LastAttempts);
        }

        static string Endpoint(string dialect) => dialect == "anthropic" ? "messages" : "chat_completions";
        Assert.Equal(3, gateway.Count("bad", Endpoint(failing)));
        Assert.Equal(3, gateway.Count("good", Endpoint(healthy)));
    }
}
