namespace Tollgate.Emulator.Tests.Knobs;

public sealed class UsageKnobTests
{
    [Fact]
    public async Task NonStreaming_BodyUsageKnobs_ReportedExactly()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"prompt_tokens":1000,"cached_tokens":400,"completion_tokens":50,"reasoning_tokens":20},"messages":[{"role":"user","content":"hi"}]}""");

        var usage = (await Emu.ReadJsonAsync(response))["usage"]!;
        Assert.Equal(1000, (long)usage["prompt_tokens"]!);
        Assert.Equal(50, (long)usage["completion_tokens"]!);

        // total = prompt + completion = 1000 + 50; reasoning is inside completion, cached inside prompt.
        Assert.Equal(1050, (long)usage["total_tokens"]!);
        Assert.Equal(400, (long)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(20, (long)usage["completion_tokens_details"]!["reasoning_tokens"]!);
    }

    [Fact]
    public async Task Streaming_HeaderUsageKnobs_ReportedExactlyInUsageChunk()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""",
            ("x-emulator-prompt-tokens", "123"), ("x-emulator-completion-tokens", "45"),
            ("x-emulator-cached-tokens", "100"), ("x-emulator-reasoning-tokens", "5"));

        var usage = Emu.Chunks(await Emu.ReadEventsAsync(response))[^1]["usage"]!;
        Assert.Equal(123, (long)usage["prompt_tokens"]!);
        Assert.Equal(45, (long)usage["completion_tokens"]!);
        Assert.Equal(168, (long)usage["total_tokens"]!); // 123 + 45
        Assert.Equal(100, (long)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(5, (long)usage["completion_tokens_details"]!["reasoning_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_ReasoningTokensOnly_AddedToVisibleCompletionTokens()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"reasoning_tokens":10},"messages":[{"role":"user","content":"two words"}]}""");

        var usage = (await Emu.ReadJsonAsync(response))["usage"]!;

        // "Echo: two words" is 3 visible tokens; completion = 3 + 10 reasoning.
        Assert.Equal(13, (long)usage["completion_tokens"]!);
        Assert.Equal(10, (long)usage["completion_tokens_details"]!["reasoning_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_DirectiveLine_AppliesKnobsAndIsNotEchoed()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","messages":[{"role":"user","content":"tell me\n#emulator prompt_tokens=77 completion_tokens=8"}]}""");

        var body = await Emu.ReadJsonAsync(response);
        Assert.Equal("Echo: tell me", (string)body["choices"]![0]!["message"]!["content"]!);
        Assert.Equal(77, (long)body["usage"]!["prompt_tokens"]!);
        Assert.Equal(8, (long)body["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_AllThreeSources_HeaderBeatsBodyBeatsDirective()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"prompt_tokens":20,"completion_tokens":21},"messages":[{"role":"user","content":"#emulator prompt_tokens=10 completion_tokens=11 cached_tokens=3"}]}""",
            ("x-emulator-prompt_tokens", "30"));

        var usage = (await Emu.ReadJsonAsync(response))["usage"]!;
        Assert.Equal(30, (long)usage["prompt_tokens"]!);
        Assert.Equal(21, (long)usage["completion_tokens"]!);
        Assert.Equal(3, (long)usage["prompt_tokens_details"]!["cached_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_NoUsageFault_OmitsUsage()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"fault":"no_usage"},"messages":[{"role":"user","content":"hi"}]}""");

        var body = await Emu.ReadJsonAsync(response);
        Assert.False(body.ContainsKey("usage"));
        Assert.Equal("Echo: hi", (string)body["choices"]![0]!["message"]!["content"]!);
    }

    [Fact]
    public async Task Streaming_NoUsageFaultWithIncludeUsage_NoUsageChunkButDone()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi\n#emulator no_usage"}]}""");

        var events = await Emu.ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Emu.Chunks(events);
        Assert.All(chunks, c => Assert.NotEmpty(c["choices"]!.AsArray()));
        Assert.All(chunks, c => Assert.Null(c["usage"]));
        Assert.Equal("stop", (string)chunks[^1]["choices"]![0]!["finish_reason"]!);
    }

    [Fact]
    public async Task NonStreaming_ReasoningAboveCompletion_Returns400NamingKnob()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","emulator":{"completion_tokens":5,"reasoning_tokens":6},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("emulator.reasoning_tokens", (string)(await Emu.ReadJsonAsync(response))["error"]!["param"]!);
    }
}
