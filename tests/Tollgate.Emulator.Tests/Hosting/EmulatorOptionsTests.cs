namespace Tollgate.Emulator.Tests.Hosting;

public sealed class EmulatorOptionsTests
{
    [Fact]
    public void Handler_InvalidOptions_ThrowsAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmulatorHandler(new EmulatorOptions { EmbeddingDimensions = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmulatorHandler(new EmulatorOptions { DefaultLatency = TimeSpan.FromMilliseconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmulatorHandler(new EmulatorOptions { DefaultTokensPerSecond = double.NaN }));
    }

    [Fact]
    public async Task Handler_DefaultLatencyOption_AppliesWithoutKnob()
    {
        using var client = Emu.Client(new EmulatorOptions { DefaultLatency = TimeSpan.FromMilliseconds(150) });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 145, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Handler_MaxReplyWordsOption_CapsEchoWithFinishStop()
    {
        using var client = Emu.Client(new EmulatorOptions { MaxReplyWords = 2 });
        using var response = await Emu.PostChatAsync(client, """{"model":"m","messages":[{"role":"user","content":"a b c"}]}""");

        var choice = (await Emu.ReadJsonAsync(response))["choices"]![0]!;
        Assert.Equal("Echo: a", (string)choice["message"]!["content"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
    }
}
