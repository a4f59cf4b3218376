namespace Tollgate.Emulator.Tests.Knobs;

public sealed class CutFaultTests
{
    [Fact]
    public async Task Streaming_CutFault_ReaderFailsMidStreamWithoutDone()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"stream_options":{"include_usage":true},"emulator":{"fault":"cut","chunks":10},"messages":[{"role":"user","content":"a long enough reply to cut"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<string>();
        await Assert.ThrowsAnyAsync<IOException>(() => Emu.ReadEventsAsync(response, events));

        // Role chunk plus half of the 10 content chunks arrive; no finish, no usage, no [DONE].
        Assert.Equal(6, events.Count);
        Assert.DoesNotContain("[DONE]", events);
        var chunks = Emu.Chunks(events);
        Assert.All(chunks, c => Assert.Null(c["choices"]![0]!["finish_reason"]));
        Assert.All(chunks, c => Assert.Null(c["usage"]));
    }

    [Fact]
    public async Task Streaming_CutFaultBufferedClient_SendFails()
    {
        using var client = Emu.Client();
        using var content = Emu.Json("""{"model":"m","stream":true,"messages":[{"role":"user","content":"one two three four\n#emulator cut"}]}""");

        // The default completion option buffers the body, so the cut surfaces from SendAsync itself.
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("v1/chat/completions", content));
        Assert.True(ex is IOException || ex.InnerException is IOException, ex.ToString());
    }

    [Fact]
    public async Task NonStreaming_CutFault_HalfABodyThenIOException()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"fault":"cut"},"messages":[{"role":"user","content":"hi"}]}""");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new System.Text.StringBuilder();
        var buffer = new char[8];

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                received.Append(buffer, 0, read);
            }
        });
        Assert.StartsWith("{\"id\":\"chatcmpl-", received.ToString());
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(received.ToString()));
    }

    [Fact]
    public async Task Streaming_ReaderDisposedEarly_WriterStops()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"emulator":{"chunks":1000,"tokens_per_second":1000,"completion_tokens":100000},"messages":[{"role":"user","content":"hi"}]}""");
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16];
        Assert.True(await stream.ReadAsync(buffer) > 0);

        // Disposing mid-stream must not throw or leave the writer blocked; a second read then fails.
        await stream.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () => await stream.ReadExactlyAsync(buffer));
    }
}
