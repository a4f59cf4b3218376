using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Tollgate.Emulator.Tests.Hosting;

// The official OpenAI SDK is the judge of wire compatibility: it must parse everything the emulator sends.
public sealed class OpenAiSdkTests
{
    private static OpenAIClient Client(EmulatorOptions? options = null) => new(
        new ApiKeyCredential("sk-test"),
        new OpenAIClientOptions
        {
            Endpoint = new Uri("http://emulator.invalid/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(new EmulatorHandler(options))),
        });

    [Fact]
    public async Task CompleteChat_OfficialSdk_ParsesReplyAndUsage()
    {
        var chat = Client().GetChatClient("gpt-4o-mini");

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new UserChatMessage("hi sdk\n#emulator prompt_tokens=11 cached_tokens=2 reasoning_tokens=4")]);

        Assert.Equal("Echo: hi sdk", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(11, completion.Usage.InputTokenCount);
        Assert.Equal(7, completion.Usage.OutputTokenCount); // 3 visible + 4 reasoning
        Assert.Equal(2, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(4, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_OfficialSdk_ReassemblesTextAndUsage()
    {
        var chat = Client().GetChatClient("gpt-4o-mini");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        // The SDK asks for stream_options.include_usage on its own.
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("stream this please")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("Echo: stream this please", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(4, usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_ToolCall_SdkReassemblesArguments()
    {
        var chat = Client().GetChatClient("gpt-4o-mini");
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString(
            """{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        string? name = null;
        string? id = null;
        var arguments = new StringBuilder();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("weather?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal("get_weather", name);
        Assert.StartsWith("call_", id);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("test", parsed.RootElement.GetProperty("city").GetString());
        Assert.Equal(1, parsed.RootElement.GetProperty("days").GetInt32());
    }

    [Fact]
    public async Task GenerateEmbeddings_OfficialSdk_ParsesVectors()
    {
        var embeddings = Client().GetEmbeddingClient("text-embedding-3-small");

        OpenAIEmbeddingCollection result = await embeddings.GenerateEmbeddingsAsync(
            ["one", "two"], new EmbeddingGenerationOptions { Dimensions = 32 });

        Assert.Equal(2, result.Count);
        Assert.Equal(32, result[0].ToFloats().Length);
        Assert.NotEqual(result[0].ToFloats().ToArray(), result[1].ToFloats().ToArray());
    }

    [Fact]
    public async Task CompleteChat_StatusKnob_SdkThrowsWithStatus()
    {
        var chat = Client().GetChatClient("gpt-4o-mini");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            chat.CompleteChatAsync([new UserChatMessage("#emulator status=400")]));

        Assert.Equal(400, ex.Status);
    }
}
