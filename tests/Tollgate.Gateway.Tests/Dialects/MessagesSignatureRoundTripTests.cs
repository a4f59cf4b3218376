using System.Net;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>The same signature carriage for an Anthropic client on <c>/v1/messages</c> reaching Gemini 3.</summary>
public sealed class MessagesSignatureRoundTripTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Messages_Gemini3ToolUseSentBack_SignatureSurvivesInTheToolUseId()
    {
        var tools = new[] { new { name = "get_weather", input_schema = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } } };
        var (firstResponse, first) = await _gateway.PostJsonAsync("/v1/messages", new
        {
            model = "gemini/gemini-3-pro-preview",
            max_tokens = 256,
            tools,
            messages = new[] { new { role = "user", content = "#emulator tool=get_weather\nWeather in Paris?" } },
        });
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        var toolUse = first["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        var id = toolUse["id"]!.GetValue<string>();

        // Anthropic requires tool_use ids to match ^[a-zA-Z0-9_-]+$; the carried signature must fit.
        Assert.Matches("^[a-zA-Z0-9_-]+$", id);

        var (response, second) = await _gateway.PostJsonAsync("/v1/messages", new
        {
            model = "gemini/gemini-3-pro-preview",
            max_tokens = 256,
            tools,
            messages = new object[]
            {
                new { role = "user", content = "Weather in Paris?" },
                new { role = "assistant", content = new[] { toolUse.DeepClone() } },
                new { role = "user", content = new object[] { new { type = "tool_result", tool_use_id = id, content = "Sunny" } } },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("end_turn", second["stop_reason"]!.GetValue<string>());
    }
}
