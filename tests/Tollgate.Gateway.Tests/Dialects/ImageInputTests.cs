using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>Image parts from the OpenAI .NET SDK reach Anthropic and Gemini in the shapes those APIs accept.</summary>
public sealed class ImageInputTests : IAsyncLifetime
{
    // A 1x1 transparent PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", false)]
    [InlineData("anthropic/claude-sonnet-4-5", true)]
    [InlineData("gemini/gemini-2.5-flash", false)]
    [InlineData("gemini/gemini-2.5-flash", true)]
    public async Task Chat_ImagePart_AcceptedUpstream(string model, bool byUrl)
    {
        var client = new ChatClient(model, new ApiKeyCredential(DialectGateway.MasterKey), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") });
        var image = byUrl
            ? ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.png"))
            : ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Png), "image/png");

        var completion = (await client.CompleteChatAsync([new UserChatMessage(ChatMessageContentPart.CreateTextPart("What is this?"), image)])).Value;

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("Echo: What is this?", completion.Content[0].Text);
    }

    [Fact]
    public async Task Chat_BrokenBase64Image_UpstreamRejectsWith400()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new[]
            {
                new
                {
                    role = "user",
                    content = new object[]
                    {
                        new { type = "text", text = "What is this?" },
                        new { type = "image_url", image_url = new { url = "data:image/png;base64,@@not-base64@@" } },
                    },
                },
            },
        });

        // The emulator checks image sources as Anthropic does; the control for the test above.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("source", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
