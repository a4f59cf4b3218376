using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>Tools through the gateway: definitions pass through, calls come back whole and as streamed deltas.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ToolCallTests(GatewayFixture fx)
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool(
        "get_weather",
        "Current weather for a city",
        BinaryData.FromString("""
            {
              "type": "object",
              "properties": {
                "city": { "type": "string" },
                "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] },
                "days": { "type": "integer" },
                "note": { "type": "string" }
              },
              "required": ["city", "unit", "days"]
            }
            """));

    private static readonly ChatTool Lookup = ChatTool.CreateFunctionTool(
        "lookup_order",
        "Find an order",
        BinaryData.FromString("""{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}"""));

    [Fact]
    public async Task CompleteChat_NamedToolChoice_ReturnsCallWithParsedArguments()
    {
        var options = new ChatCompletionOptions { Tools = { Lookup, Weather }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };
        var result = await fx.Chat("openai/gpt-4o").CompleteChatAsync([new UserChatMessage("Weather in Oslo?")], options);

        var completion = result.Value;
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);

        // The emulator fills required properties from the schema the gateway passed on: the schema arrived intact.
        using var args = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal("test", args.RootElement.GetProperty("city").GetString());
        Assert.Equal("celsius", args.RootElement.GetProperty("unit").GetString());
        Assert.Equal(1, args.RootElement.GetProperty("days").GetInt32());
        Assert.False(args.RootElement.TryGetProperty("note", out _));

        Assert.NotNull(E2E.Cost(E2E.RawJson(result)["usage"]));
    }

    [Fact]
    public async Task CompleteChat_AutoToolChoiceWithKnob_CallsTheNamedTool()
    {
        var options = new ChatCompletionOptions { Tools = { Lookup, Weather }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        var result = await fx.Chat("groq/llama-3.3-70b-versatile").CompleteChatAsync(
            [new UserChatMessage(E2E.WithKnobs("Where is order 17?", "tool=lookup_order"))], options);

        var call = Assert.Single(result.Value.ToolCalls);
        Assert.Equal("lookup_order", call.FunctionName);
        Assert.Equal("""{"order_id":"test"}""", call.FunctionArguments.ToString());
    }

    [Fact]
    public async Task CompleteChatStreaming_ToolCall_DeltasReassembleToTheWholeCall()
    {
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        var client = fx.Chat("openai/gpt-4o");
        var whole = Assert.Single((await client.CompleteChatAsync([new UserChatMessage("Weather in Oslo?")], options)).Value.ToolCalls);

        string? id = null;
        string? name = null;
        var arguments = new StringBuilder();
        var argumentUpdates = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo?")], options))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                Assert.Equal(0, toolUpdate.Index);
                id ??= toolUpdate.ToolCallId;
                name ??= toolUpdate.FunctionName;
                if (toolUpdate.FunctionArgumentsUpdate is { } piece && !piece.ToMemory().IsEmpty)
                {
                    arguments.Append(piece.ToString());
                    argumentUpdates++;
                }
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(whole.Id, id);
        Assert.Equal("get_weather", name);
        Assert.True(argumentUpdates > 1, $"arguments came in {argumentUpdates} piece(s)");
        Assert.Equal(whole.FunctionArguments.ToString(), arguments.ToString());
        using var args = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("celsius", args.RootElement.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task CompleteChat_ToolResultSentBack_GetsTextAnswer()
    {
        var options = new ChatCompletionOptions { Tools = { Weather } };
        var call = ChatToolCall.CreateFunctionToolCall("call_abc", "get_weather", BinaryData.FromString("""{"city":"Oslo","unit":"celsius","days":1}"""));
        var result = await fx.Chat("openai/gpt-4o").CompleteChatAsync(
            [
                new UserChatMessage("Weather in Oslo?"),
                new AssistantChatMessage([call]),
                new ToolChatMessage("call_abc", """{"temperature":-3}"""),
            ],
            options);

        // After a tool result the emulator answers in text (the last user text echoed): the tool turn went through intact.
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.Empty(result.Value.ToolCalls);
        Assert.Equal("Echo: Weather in Oslo?", result.Value.Content[0].Text);
    }
}
