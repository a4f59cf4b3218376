using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Keys;

// The official OpenAI SDK as the client: a virtual key works as its API key, and a spent budget reaches it as 429 insufficient_quota.
public sealed class OpenAiSdkKeyTests
{
    [Fact]
    public async Task CompleteChat_VirtualKeyOverBudget_SdkSeesInsufficientQuota()
    {
        await using var gw = await KeysGateway.StartAsync();

        // "Hello" with max_tokens 10 reserves $0.043 and costs $0.013: $0.05 admits one request, not a second.
        var key = (await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } })).GetProperty("key").GetString()!;
        var chat = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(gw.Http.BaseAddress!, "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) })
            .GetChatClient(KeysGateway.Model);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 10 };

        ChatCompletion first = await chat.CompleteChatAsync([new UserChatMessage("Hello")], options);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")], options));

        Assert.Equal("Echo: Hello", first.Content.Single().Text);
        Assert.Equal(429, ex.Status);
        Assert.Contains("insufficient_quota", ex.Message, StringComparison.Ordinal);
    }
}
