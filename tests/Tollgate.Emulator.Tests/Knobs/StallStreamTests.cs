using System.Text;

namespace Tollgate.Emulator.Tests.Knobs;

// fault=stall_stream: the first chunk arrives, then nothing until stall_ms has passed (or ever), as an idle timeout needs.
// The held clock shows each wait the emulator starts; the test decides when it ends.
public sealed class StallStreamTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Api.Chat), MemberType = typeof(Api))]
    public async Task StallStream_EachApi_FirstChunkThenWaitsStallMsThenFinishes(string api)
    {
        var time = new HeldTimeProvider(Now);
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = time });
        using var response = await Api.SendAsync(client, api, """{"fault":"stall_stream","stall_ms":5000,"chunks":4}""", stream: true);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await ReadDataAsync(reader, Api.EventsBeforeFirstContent(api));
        var rest = ReadRestAsync(reader);
        var stall = await time.NextTimerAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), stall.Due);
        Assert.False(rest.IsCompleted, "the stream went on before the stall ended");
        stall.Fire();
        var remaining = await rest.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(Api.IsStreamEnd(api, remaining[^1]), remaining[^1]);
        var all = first.Concat(remaining).ToList();
        Assert.Equal(Api.EventsBeforeFirstContent(api) + Remaining(api), all.Count);
    }

    [Theory]
    [MemberData(nameof(Api.Chat), MemberType = typeof(Api))]
    public async Task StallStream_NoStallMs_WaitsUntilTheClientGivesUp(string api)
    {
        var time = new HeldTimeProvider(Now);
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = time });
        using var response = await Api.SendAsync(client, api, stream: true, text: "one two three\n#emulator stall_stream");
        var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        using var giveUp = new CancellationTokenSource();

        await ReadDataAsync(reader, Api.EventsBeforeFirstContent(api));
        var rest = ReadRestAsync(reader, giveUp.Token);

        // An endless wait starts no timer: give the emulator a moment to go on (it must not), then give up.
        await Task.WhenAny(rest, Task.Delay(200));
        Assert.False(rest.IsCompleted, "the stream went on without a stall_ms");
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rest.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(Api.OpenAI)]
    [InlineData(Api.Embeddings)]
    [InlineData(Api.Anthropic)]
    [InlineData(Api.Gemini)]
    public async Task StallStream_NonStreaming_HalfTheBodyThenTheRestAfterTheStall(string api)
    {
        var time = new HeldTimeProvider(Now);
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = time });
        using var response = await Api.SendAsync(client, api, """{"fault":"stall_stream","stall_ms":250}""");
        var stream = await response.Content.ReadAsStreamAsync();

        var stall = await time.NextTimerAsync();
        var head = new byte[1 << 16];
        var read = await stream.ReadAsync(head);
        var tail = new MemoryStream();
        var restTask = stream.CopyToAsync(tail);

        Assert.Equal(TimeSpan.FromMilliseconds(250), stall.Due);
        Assert.True(read > 0);
        Assert.False(restTask.IsCompleted);
        stall.Fire();
        await restTask.WaitAsync(TimeSpan.FromSeconds(10));

        var whole = Encoding.UTF8.GetString(head, 0, read) + Encoding.UTF8.GetString(tail.ToArray());
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(Encoding.UTF8.GetString(head, 0, read)));
        Assert.NotNull(JsonNode.Parse(whole));
    }

    [Fact]
    public async Task CutFault_Embeddings_HalfABodyThenIOException()
    {
        using var client = Emu.Client();
        using var response = await Api.SendAsync(client, Api.Embeddings, """{"fault":"cut"}""");

        var stream = await response.Content.ReadAsStreamAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<IOException>(() => stream.CopyToAsync(Stream.Null));
    }

    // After the first content piece of 4: OpenAI 3 pieces, the finish chunk and [DONE]; Anthropic 3 deltas,
    // content_block_stop, message_delta, message_stop; Gemini the 3 other pieces.
    private static int Remaining(string api) => api switch
    {
        Api.OpenAI => 5,
        Api.Anthropic => 6,
        _ => 3,
    };

    private static async Task<List<string>> ReadDataAsync(StreamReader reader, int count)
    {
        var data = new List<string>();
        while (data.Count < count && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }

        Assert.Equal(count, data.Count);
        return data;
    }

    private static async Task<List<string>> ReadRestAsync(StreamReader reader, CancellationToken ct = default)
    {
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }

        return data;
    }
}
