using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>
/// Microsoft.Extensions.AI's Responses client (<c>OpenAI.Responses.ResponsesClient.AsIChatClient</c>) against
/// <c>/v1/responses</c>: to OpenAI itself (passthrough) and translated to groq's chat completions, text, streaming
/// and a function tool invoked by <see cref="FunctionInvokingChatClient"/>, with usage and the ledger's cost.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ResponsesClientTests(GatewayFixture fx)
{
    // USD per 1M tokens from the catalog: openai/gpt-4o input 2.50, output 10; groq/llama-3.3-70b-versatile input 0.59, output 0.79.
    [Theory]
    [InlineData("openai/gpt-4o", 2.50, 10.0)]
    [InlineData("groq/llama-3.3-70b-versatile", 0.59, 0.79)]
    public async Task GetResponse_Text_UsageAndLedgerCost(string model, double input, double output)
    {
        using var chat = Client(model);

        var response = await chat.GetResponseAsync(E2E.WithKnobs("Hello from .NET", "prompt_tokens=1000 completion_tokens=100"));

        Assert.Equal("Echo: Hello from .NET", response.Text);
        Assert.Equal(1000, response.Usage?.InputTokenCount);
        Assert.Equal(100, response.Usage?.OutputTokenCount);
        Assert.StartsWith("resp_", response.ResponseId, StringComparison.Ordinal);
        var expected = (1000 * (decimal)input + 100 * (decimal)output) / 1_000_000m;
        // The collection's tests run one at a time, so the newest ledger entry is this request's.
        using var ledger = await fx.GetAsync("/v1/requests?limit=1");
        var entry = (await E2E.JsonAsync(ledger))["data"]![0]!;
        Assert.Equal("responses", (string?)entry["endpoint"]);
        Assert.Equal(expected, E2E.Dec(entry["cost"]!.ToJsonString()));
    }

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("groq/llama-3.3-70b-versatile")]
    public async Task GetStreamingResponse_Text_UpdatesConcatenateToTheAnswer(string model)
    {
        using var chat = Client(model);

        var text = new System.Text.StringBuilder();
        UsageDetails? usage = null;
        await foreach (var update in chat.GetStreamingResponseAsync("Stream from .NET please"))
        {
            text.Append(update.Text);
            usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
        }

        Assert.Equal("Echo: Stream from .NET please", text.ToString());
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0);
    }

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("groq/llama-3.3-70b-versatile")]
    public async Task GetResponse_FunctionTool_InvokedAndAnswered(string model)
    {
        var cities = new List<string>();
        using var chat = new ChatClientBuilder(Client(model)).UseFunctionInvocation().Build();
        var weather = AIFunctionFactory.Create((string city) =>
        {
            cities.Add(city);
            return "Sunny, 21 C";
        }, "get_weather", "Weather for a city");

        var response = await chat.GetResponseAsync(E2E.WithKnobs("Weather in Oslo?", "tool=get_weather"), new ChatOptions { Tools = [weather] });

        Assert.Equal(["test"], cities);
        Assert.Equal("Echo: Weather in Oslo?", response.Text);
    }

    // The SDK marks its Responses client as evaluation-only (OPENAI001); it is the client this test is about.
#pragma warning disable OPENAI001
    private IChatClient Client(string model) =>
        new OpenAIClient(new ApiKeyCredential(GatewayFixture.MasterKey), fx.SdkOptions()).GetResponsesClient().AsIChatClient(model);
#pragma warning restore OPENAI001
}
