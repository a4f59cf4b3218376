namespace Tollgate.Emulator.Tests.Knobs;

public sealed class TimeProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task Streaming_LatencyTtftAndPace_AskTheClockForExactDelays()
    {
        var time = new InstantTimeProvider(Now);
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = time });

        // 20 tokens at 10 tokens/s = 2 s over 4 chunks: 500 ms before each chunk after the first.
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"emulator":{"latency_ms":5000,"ttft_ms":700,"tokens_per_second":10,"completion_tokens":20,"chunks":4},"messages":[{"role":"user","content":"hi"}]}""");
        var chunks = Emu.Chunks(await Emu.ReadEventsAsync(response));

        Assert.Equal(
            [TimeSpan.FromMilliseconds(5000), TimeSpan.FromMilliseconds(700),
             TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)],
            time.Delays);
        Assert.All(chunks, c => Assert.Equal(Now.ToUnixTimeSeconds(), (long)c["created"]!));
    }

    [Fact]
    public async Task NonStreaming_Pace_WaitsWholeGenerationBeforeAnswering()
    {
        var time = new InstantTimeProvider(Now);
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = time, DefaultTokensPerSecond = 4 });

        // "Echo: a b c" is 4 tokens at the default 4 tokens/s = 1 s, plus ttft 250 ms, waited at once.
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","messages":[{"role":"user","content":"a b c\n#emulator ttft_ms=250"}]}""");
        var body = await Emu.ReadJsonAsync(response);

        Assert.Equal([TimeSpan.FromMilliseconds(1250)], time.Delays);
        Assert.Equal(Now.ToUnixTimeSeconds(), (long)body["created"]!);
    }
}
