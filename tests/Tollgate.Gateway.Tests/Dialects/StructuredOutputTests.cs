using System.ClientModel;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// <c>response_format: json_schema</c> from the OpenAI .NET SDK: to Anthropic it travels as a forced tool whose input
/// comes back as content; to Gemini as <c>responseSchema</c>, answered with JSON text.
/// </summary>
public sealed class StructuredOutputTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("gemini/gemini-2.5-flash")]
    public async Task Chat_JsonSchema_ContentIsJsonOfTheSchema(string model)
    {
        var client = new ChatClient(model, new ApiKeyCredential(DialectGateway.MasterKey), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") });
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                "city",
                BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"},"population":{"type":"integer"}},"required":["name","population"],"additionalProperties":false}"""),
                jsonSchemaIsStrict: true),
        };

        var completion = (await client.CompleteChatAsync([new UserChatMessage("Name a city.")], options)).Value;

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        var json = JsonNode.Parse(completion.Content[0].Text)!;
        Assert.Equal("test", json["name"]!.GetValue<string>());
        Assert.Equal(1, json["population"]!.GetValue<int>());
    }
}
