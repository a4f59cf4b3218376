using System.Text;
using Anthropic.Models.Messages;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>
/// A group of two deployments whose first fails every request in one retryable way: every request succeeds through
/// the second, for chat (plain and streamed), /v1/messages (plain and streamed) and embeddings.
/// </summary>
public sealed class FailoverTests
{
    private const int Requests = 4;

    // Breakers off, so that every request tries the failing deployment first and the counts are exact; a 503's
    // Retry-After of 0 keeps it from being passed over. The 429's Retry-After of 30 s is honoured: after the first
    // request the failing deployment is passed over for the rest of the test. The first-byte timeout is short only
    // for the stall (2 s against a 6 s stall): elsewhere a cold first request on a busy machine could time out
    // instead of failing the way the case says.
    private static string Routing(string kind) =>
        $$"""{ "retries": 2, "backoff_ms": 1, "max_backoff_ms": 10, "first_byte_timeout_s": {{(kind == "stall" ? 2 : 10)}}, "breaker": { "failures": 0 } }""";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "500", "503", "429", "refused", "reset", "stall" })
        {
            foreach (var endpoint in new[] { "chat", "chat_stream", "messages", "messages_stream", "embeddings" })
            {
                data.Add(kind, endpoint);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task FirstDeploymentFails_EveryRequestAnsweredByTheSecond(string kind, string endpoint)
    {
        var dialect = endpoint.StartsWith("messages", StringComparison.Ordinal) ? "anthropic" : "openai";
        var model = endpoint == "embeddings" ? "text-embedding-3-small" : dialect == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini";
        var faults = kind switch
        {
            "500" => """{"status": 500}""",
            "503" => """{"status": 503, "retry_after": 0}""",
            "429" => """{"status": 429, "retry_after": 30}""",
            "reset" => """{"fault": "reset"}""",
            "stall" => """{"latency_ms": 6000}""",
            _ => null,
        };
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("bad", dialect, faults, Refused: kind == "refused"), new Upstream("good", dialect)],
            $$"""{ "g": { "deployments": [ { "provider": "bad", "model": "{{model}}" }, { "provider": "good", "model": "{{model}}" } ] } }""",
            Routing(kind));

        var requests = kind == "stall" ? 3 : Requests;
        for (var i = 0; i < requests; i++)
        {
            var answer = await SendAsync(gateway, endpoint, "request " + i);
            Assert.Equal(endpoint == "embeddings" ? "1536" : "Echo: request " + i, answer);
            Assert.Equal("good", gateway.LastProvider);
            Assert.Equal(model, gateway.LastHeaders.GetValues("x-tollgate-model").Single());
            Assert.Equal(kind == "429" && i > 0 ? 1 : 2, gateway.LastAttempts);
        }

        var counter = endpoint switch { "embeddings" => "embeddings", _ when dialect == "anthropic" => "messages", _ => "chat_completions" };
        Assert.Equal(requests, gateway.Count("good", counter));
        if (kind != "refused")
        {
            Assert.Equal(kind == "429" ? 1 : requests, gateway.Count("bad", counter));
            Assert.Equal(gateway.Count("bad", counter), gateway.Instances["bad"].Control.FaultedRequests);
        }
    }

    /// <summary>Sends one request and returns the reply text (for embeddings, the vector's length).</summary>
    private static async Task<string> SendAsync(RoutingGateway gateway, string endpoint, string text)
    {
        switch (endpoint)
        {
            case "chat":
                {
                    var chat = gateway.OpenAI().GetChatClient("g");
                    ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(text)]);
                    return completion.Content[0].Text;
                }

            case "chat_stream":
                {
                    var chat = gateway.OpenAI().GetChatClient("g");
                    var reply = new StringBuilder();
                    await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(text)]))
                    {
                        foreach (var part in update.ContentUpdate)
                        {
                            reply.Append(part.Text);
                        }
                    }

                    return reply.ToString();
                }

            case "messages":
                {
                    using var sdk = gateway.Anthropic();
                    var message = await sdk.Messages.Create(new MessageCreateParams { Model = "g", MaxTokens = 64, Messages = [new UserMessageParam(text)] });
                    Assert.True(message.Content[0].TryPickText(out var block));
                    return block!.Text;
                }

            case "messages_stream":
                {
                    using var sdk = gateway.Anthropic();
                    var reply = new StringBuilder();
                    await foreach (var e in sdk.Messages.CreateStreaming(new MessageCreateParams { Model = "g", MaxTokens = 64, Messages = [new UserMessageParam(text)] }))
                    {
                        if (e.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var t))
                        {
                            reply.Append(t!.Text);
                        }
                    }

                    return reply.ToString();
                }

            default:
                {
                    var embeddings = gateway.OpenAI().GetEmbeddingClient("g");
                    var result = await embeddings.GenerateEmbeddingAsync(text);
                    return result.Value.ToFloats().Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
        }
    }
}
