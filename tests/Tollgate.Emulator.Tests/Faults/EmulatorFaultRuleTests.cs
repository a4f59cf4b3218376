namespace Tollgate.Emulator.Tests.Faults;

public sealed class EmulatorFaultRuleTests
{
    [Fact]
    public void Parse_NamesAndValuesInAnySpelling_NormalisedAndRoundTripped()
    {
        var rule = EmulatorFaultRule.Parse("""{"Fail-Next":"3","fail_rate":0.5,"endpoints":"chat_completions, embeddings","latency-ms":"20","fault":"stall-stream","seed":null}""");

        Assert.Equal(3, rule.FailNext);
        Assert.Equal(0.5, rule.FailRate);
        Assert.Null(rule.Seed);
        Assert.Equal(["chat_completions", "embeddings"], rule.Endpoints);
        Assert.Equal("20", rule.Knobs["latency_ms"]);
        Assert.Equal("""{"fail_next":3,"fail_rate":0.5,"endpoints":["chat_completions","embeddings"],"latency_ms":20,"fault":"stall-stream"}""", rule.ToJson());
        Assert.Equal(rule.ToJson(), EmulatorFaultRule.Parse(rule.ToJson()).ToJson());
    }

    [Theory]
    [InlineData("""{"fail_rate":1.5}""", "fail_rate")]
    [InlineData("""{"latency_ms":"soon"}""", "latency_ms")]
    [InlineData("""{"endpoints":["chat"]}""", "endpoints")]
    public void Parse_InvalidField_FormatExceptionNamingIt(string json, string field)
    {
        var ex = Assert.Throws<FormatException>(() => EmulatorFaultRule.Parse(json));

        Assert.Contains($"'{field}'", ex.Message);
    }

    [Fact]
    public void Names_EveryKnobNameIsAKnobTheParserKnows()
    {
        var knobs = EmulatorFaultRule.Names.Except(EmulatorFaultRule.RuleFields).ToList();

        Assert.Contains("stall_ms", knobs);
        Assert.Contains("context_window", knobs);
        foreach (var name in knobs)
        {
            Tollgate.Emulator.Knobs.KnobParser.Parse([new(name, "1")], out var error);
            Assert.NotEqual("unknown_parameter", error?.Code);
        }

        Tollgate.Emulator.Knobs.KnobParser.Parse([new("nonsense", "1")], out var unknown);
        Assert.Equal("unknown_parameter", unknown?.Code);
    }
}
