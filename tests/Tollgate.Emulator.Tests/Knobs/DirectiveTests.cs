using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Tests.Knobs;

public sealed class DirectiveTests
{
    [Fact]
    public void Extract_DirectiveLines_ReturnsPairsAndRemainingText()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var text = Directive.Extract("first line\n  #emulator status=500   latency_ms=20\nlast\n#EMULATOR cut", pairs);

        Assert.Equal("first line\nlast", text);
        Assert.Equal(
            [new("status", "500"), new("latency_ms", "20"), new("fault", "cut")],
            pairs);
    }

    [Fact]
    public void Extract_MarkerInsideWordOrLine_LeftAsText()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var text = Directive.Extract("see #emulator status=500\n#emulators are fun", pairs);

        Assert.Equal("see #emulator status=500\n#emulators are fun", text);
        Assert.Empty(pairs);
    }

    [Fact]
    public void Parse_LaterPairs_OverrideEarlier()
    {
        var knobs = KnobParser.Parse([new("latency_ms", "10"), new("Latency-Ms", "20"), new("fault", "hang")], out var error);

        Assert.Null(error);
        Assert.Equal(20, knobs.LatencyMs);
        Assert.Equal(EmulatorFault.Hang, knobs.Fault);
    }

    [Theory]
    [InlineData("chunks", "0")]
    [InlineData("prompt_tokens", "-1")]
    [InlineData("tokens_per_second", "NaN")]
    [InlineData("status", "99")]
    [InlineData("reply", "poem")]
    public void Parse_BadValue_ErrorNamesKnob(string name, string value)
    {
        KnobParser.Parse([new(name, value)], out var error);

        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("emulator." + name, error.Param);
    }
}
