using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic;

namespace Tollgate.Dialects.Tests.Anthropic;

public sealed class AnthropicUsageTests
{
    [Fact]
    public void Parse_WithCacheSplit_TakesSplitAndKeepsInputUncached()
    {
        var usage = AnthropicUsage.Parse("""
            {"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":2000,
             "cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":200},"output_tokens":55}
            """u8);

        Assert.Equal(10, usage.InputTokens);
        Assert.Equal(100, usage.CacheWrite5mTokens);
        Assert.Equal(200, usage.CacheWrite1hTokens);
        Assert.Equal(2000, usage.CacheReadTokens);
        Assert.Equal(55, usage.OutputTokens);
        // 10 + 100 + 200 + 2000
        Assert.Equal(2310, usage.PromptTokens);
    }

    [Fact]
    public void Parse_WithoutSplit_CountsAllCacheWritesAsFiveMinutes()
    {
        var usage = AnthropicUsage.Parse("""{"input_tokens":3,"cache_creation_input_tokens":700,"output_tokens":1}"""u8);

        Assert.Equal(700, usage.CacheWrite5mTokens);
        Assert.Equal(0, usage.CacheWrite1hTokens);
        Assert.Equal(3, usage.InputTokens);
    }

    [Fact]
    public void Parse_ThinkingTokensDetail_BecomesReasoningWithinOutput()
    {
        var usage = AnthropicUsage.Parse("""{"input_tokens":1,"output_tokens":40,"output_tokens_details":{"thinking_tokens":25}}"""u8);

        Assert.Equal(40, usage.OutputTokens);
        Assert.Equal(25, usage.ReasoningTokens);
    }

    [Fact]
    public void Accumulator_DeltaWithoutSplit_KeepsOneHourShareFromStart()
    {
        var accumulator = new AnthropicUsageAccumulator();
        accumulator.Apply(JsonDocument.Parse("""{"input_tokens":2,"cache_creation_input_tokens":500,"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":100},"output_tokens":1}""").RootElement);
        accumulator.Apply(JsonDocument.Parse("""{"input_tokens":6,"cache_creation_input_tokens":900,"cache_read_input_tokens":50,"output_tokens":70}""").RootElement);

        var usage = accumulator.ToTokenUsage();
        Assert.Equal(6, usage.InputTokens);
        Assert.Equal(100, usage.CacheWrite1hTokens);
        // 900 total - 100 one-hour
        Assert.Equal(800, usage.CacheWrite5mTokens);
        Assert.Equal(50, usage.CacheReadTokens);
        Assert.Equal(70, usage.OutputTokens);
    }

    [Fact]
    public void ToOpenAIUsageJson_AllKinds_PromptIsTotalOfInputsAndCostWritten()
    {
        var usage = new TokenUsage { InputTokens = 10, CacheWrite5mTokens = 100, CacheWrite1hTokens = 200, CacheReadTokens = 2000, OutputTokens = 55, ReasoningTokens = 5 };

        var node = Write(usage, 0.0123m);

        // 10 + 100 + 200 + 2000
        Assert.Equal(2310, (long)node["prompt_tokens"]!);
        Assert.Equal(55, (long)node["completion_tokens"]!);
        Assert.Equal(2365, (long)node["total_tokens"]!);
        Assert.Equal(2000, (long)node["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(300, (long)node["cache_creation_input_tokens"]!);
        Assert.Equal(5, (long)node["completion_tokens_details"]!["reasoning_tokens"]!);
        Assert.Equal(0.0123m, (decimal)node["cost"]!);
    }

    [Fact]
    public void ToOpenAIUsageJson_NoCost_OmitsCost()
    {
        var node = Write(new TokenUsage { InputTokens = 1, OutputTokens = 2 }, null);

        Assert.False(node.ContainsKey("cost"));
        Assert.Equal(3, (long)node["total_tokens"]!);
    }

    private static JsonObject Write(TokenUsage usage, decimal? cost)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            AnthropicUsage.ToOpenAIUsageJson(usage, cost, writer);
        }

        return JsonNode.Parse(Encoding.UTF8.GetString(stream.ToArray()))!.AsObject();
    }
}
