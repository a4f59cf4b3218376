using System.Diagnostics;

namespace Tollgate.Emulator.Tests.Knobs;

// Lower bounds only: a loaded machine may be slower, never faster.
public sealed class TimingKnobTests
{
    [Fact]
    public async Task NonStreaming_LatencyKnob_TakesAtLeastThatLong()
    {
        using var client = Emu.Client();
        var watch = Stopwatch.StartNew();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"latency_ms":200},"messages":[{"role":"user","content":"hi"}]}""");
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 195, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Streaming_TtftKnob_HeadersFirstThenFirstChunkAfterDelay()
    {
        using var client = Emu.Client();
        var watch = Stopwatch.StartNew();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""", ("x-emulator-ttft-ms", "200"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var firstLine = await reader.ReadLineAsync();

        Assert.StartsWith("data: {", firstLine);
        Assert.True(watch.ElapsedMilliseconds >= 195, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Streaming_TokensPerSecondKnob_PacesTheStream()
    {
        using var client = Emu.Client();
        var watch = Stopwatch.StartNew();

        // 20 completion tokens at 100 tokens/s = 200 ms spread over 4 chunks (3 pauses of 50 ms after the first).
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"emulator":{"tokens_per_second":100,"completion_tokens":20,"chunks":4},"messages":[{"role":"user","content":"hi"}]}""");
        var events = await Emu.ReadEventsAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        Assert.True(watch.ElapsedMilliseconds >= 145, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Hang_ClientTimeout_ClientGivesUp()
    {
        using var client = Emu.Client();
        client.Timeout = TimeSpan.FromMilliseconds(300);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Emu.PostChatAsync(client,
            """{"model":"m","messages":[{"role":"user","content":"#emulator fault=hang"}]}"""));
        Assert.True(watch.ElapsedMilliseconds >= 295, $"took {watch.ElapsedMilliseconds} ms");
    }
}
