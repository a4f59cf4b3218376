namespace Tollgate.Emulator.Tests.Chat;

public sealed class ChatCompletionTests
{
    private const string HelloBody = """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello world"}]}""";

    [Fact]
    public async Task NonStreaming_SimpleRequest_HasOpenAiShape()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, HelloBody);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", Emu.ContentType(response)?.MediaType);
        var body = await Emu.ReadJsonAsync(response);
        Assert.StartsWith("chatcmpl-", (string)body["id"]!);
        Assert.Equal("chat.completion", (string)body["object"]!);
        Assert.Equal("gpt-4o-mini", (string)body["model"]!);
        Assert.True((long)body["created"]! > 1_600_000_000);
        var choice = body["choices"]!.AsArray().Single()!;
        Assert.Equal(0, (int)choice["index"]!);
        Assert.Equal("assistant", (string)choice["message"]!["role"]!);
        Assert.Equal("Echo: hello world", (string)choice["message"]!["content"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
        Assert.True(choice.AsObject().ContainsKey("logprobs"));
        Assert.Null(choice["logprobs"]);
        var usage = body["usage"]!;

        // One token per reply word: "Echo:", "hello", "world".
        Assert.Equal(3, (long)usage["completion_tokens"]!);

        // 3 priming + per message (4 + ceil(len/4)): system "Be brief." 4+3, user "hello world" 4+3 = 17.
        Assert.Equal(17, (long)usage["prompt_tokens"]!);
        Assert.Equal(20, (long)usage["total_tokens"]!);
        Assert.Equal(0, (long)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(0, (long)usage["completion_tokens_details"]!["reasoning_tokens"]!);
    }

    [Fact]
    public async Task Streaming_WithoutIncludeUsage_SendsRoleContentFinishThenDone()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"messages":[{"role":"user","content":"one two three"}]}""");

        var events = await Emu.ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Single(events, e => e == "[DONE]");
        var chunks = Emu.Chunks(events);
        var id = (string)chunks[0]["id"]!;
        Assert.StartsWith("chatcmpl-", id);
        foreach (var chunk in chunks)
        {
            Assert.Equal(id, (string)chunk["id"]!);
            Assert.Equal("chat.completion.chunk", (string)chunk["object"]!);
            Assert.Equal("m", (string)chunk["model"]!);
            Assert.NotNull(chunk["created"]);
            Assert.False(chunk.ContainsKey("usage"));
            var choice = chunk["choices"]!.AsArray().Single()!.AsObject();
            Assert.Equal(0, (int)choice["index"]!);
            Assert.True(choice.ContainsKey("logprobs"));
            Assert.True(choice.ContainsKey("finish_reason"));
        }

        var first = chunks[0]["choices"]![0]!;
        Assert.Equal("assistant", (string)first["delta"]!["role"]!);
        Assert.Equal("", (string)first["delta"]!["content"]!);
        Assert.Null(first["finish_reason"]);

        var last = chunks[^1]["choices"]![0]!;
        Assert.Equal("stop", (string)last["finish_reason"]!);
        Assert.Empty(last["delta"]!.AsObject());

        // Content chunks carry a word each, with its leading space.
        var content = chunks[1..^1].Select(c => (string)c["choices"]![0]!["delta"]!["content"]!).ToList();
        Assert.Equal(["Echo:", " one", " two", " three"], content);
        Assert.All(chunks[1..^1], c => Assert.Null(c["choices"]![0]!["finish_reason"]));
    }

    [Fact]
    public async Task Streaming_WithIncludeUsage_EndsWithUsageChunkWithEmptyChoices()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"one two"}]}""");

        var events = await Emu.ReadEventsAsync(response);
        var chunks = Emu.Chunks(events);
        Assert.Equal("[DONE]", events[^1]);

        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal("chat.completion.chunk", (string)usageChunk["object"]!);
        Assert.Equal(3, (long)usageChunk["usage"]!["completion_tokens"]!);
        Assert.Equal(
            (long)usageChunk["usage"]!["prompt_tokens"]! + 3,
            (long)usageChunk["usage"]!["total_tokens"]!);

        // Every other chunk says "usage": null, and the one before the usage chunk finishes the choice.
        Assert.All(chunks[..^1], c => Assert.True(c.ContainsKey("usage") && c["usage"] is null));
        Assert.Equal("stop", (string)chunks[^2]["choices"]![0]!["finish_reason"]!);
        Assert.Equal("Echo: one two", Emu.Content(chunks));
    }

    [Fact]
    public async Task Streaming_ChunksKnob_SendsExactlyThatManyContentChunks()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"emulator":{"chunks":7},"messages":[{"role":"user","content":"the quick brown fox"}]}""");

        var chunks = Emu.Chunks(await Emu.ReadEventsAsync(response));

        // Role chunk + 7 content chunks + finish chunk.
        Assert.Equal(9, chunks.Count);
        Assert.Equal("Echo: the quick brown fox", Emu.Content(chunks));
    }

    [Fact]
    public async Task Streaming_SameRequestAsNonStreaming_SameContent()
    {
        using var client = Emu.Client();
        using var plain = await Emu.PostChatAsync(client, HelloBody);
        using var streamed = await Emu.PostChatAsync(client, HelloBody.Replace("\"model\"", "\"stream\":true,\"model\""));

        var text = (string)(await Emu.ReadJsonAsync(plain))["choices"]![0]!["message"]!["content"]!;
        Assert.Equal(text, Emu.Content(Emu.Chunks(await Emu.ReadEventsAsync(streamed))));
    }

    [Fact]
    public async Task NonStreaming_SameRequestTwice_SameContentAndUsage()
    {
        using var client = Emu.Client();
        var body = """{"model":"m","messages":[{"role":"user","content":"Determinism, please: \u00e9\ud83d\ude00 and more"}]}""";
        using var a = await Emu.PostChatAsync(client, body);
        using var b = await Emu.PostChatAsync(client, body);

        var first = await Emu.ReadJsonAsync(a);
        var second = await Emu.ReadJsonAsync(b);
        Assert.Equal(first["choices"]!.ToJsonString(), second["choices"]!.ToJsonString());
        Assert.Equal(first["usage"]!.ToJsonString(), second["usage"]!.ToJsonString());
        Assert.NotEqual((string)first["id"]!, (string)second["id"]!);
    }

    [Fact]
    public async Task NonStreaming_MaxTokensBelowReply_TruncatesWithFinishLength()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","max_completion_tokens":3,"messages":[{"role":"user","content":"a b c d e f"}]}""");

        var body = await Emu.ReadJsonAsync(response);
        Assert.Equal("Echo: a b", (string)body["choices"]![0]!["message"]!["content"]!);
        Assert.Equal("length", (string)body["choices"]![0]!["finish_reason"]!);
        Assert.Equal(3, (long)body["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_LoremReplySizedByMaxTokens_HasThatManyWords()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","max_tokens":40,"messages":[{"role":"user","content":"write\n#emulator reply=lorem"}]}""");

        var body = await Emu.ReadJsonAsync(response);
        var text = (string)body["choices"]![0]!["message"]!["content"]!;
        Assert.StartsWith("Lorem ipsum dolor", text);
        Assert.Equal(40, text.Split(' ').Length);
        Assert.Equal("length", (string)body["choices"]![0]!["finish_reason"]!);
        Assert.Equal(40, (long)body["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_FixedReplyOption_RepliesWithIt()
    {
        using var client = Emu.Client(new EmulatorOptions { ReplyText = "Fixed answer here." });
        using var response = await Emu.PostChatAsync(client, HelloBody);

        var body = await Emu.ReadJsonAsync(response);
        Assert.Equal("Fixed answer here.", (string)body["choices"]![0]!["message"]!["content"]!);
        Assert.Equal(3, (long)body["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_ContentParts_EchoesTextParts()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:,"}},{"type":"text","text":"here"}]}]}""");

        var body = await Emu.ReadJsonAsync(response);
        Assert.Equal("Echo: look\nhere", (string)body["choices"]![0]!["message"]!["content"]!);
    }
}
