using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Dialects.Tests.OpenAI;

public sealed class UsagePatcherTests
{
    private static string Patch(string json, decimal? cost)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(UsagePatcher.TryFindUsage(bytes, out var range));
        var output = new ArrayBufferWriter<byte>();
        UsagePatcher.WriteWithCost(bytes, range, cost, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void WriteWithCost_AddsCostAndKeepsEverythingElse()
    {
        const string json = """{"id":"x","choices":[{"message":{"content":"usage"}}],"usage":{"prompt_tokens":10,"completion_tokens":5,"x_extra":{"a":1}},"system_fingerprint":"fp"}""";
        var patched = Patch(json, 0.0000250m);
        Assert.Equal(json.Replace("\"x_extra\":{\"a\":1}}", "\"x_extra\":{\"a\":1},\"cost\":0.000025}", StringComparison.Ordinal), patched);
    }

    [Fact]
    public void WriteWithCost_ReplacesAnUpstreamCost()
    {
        var patched = JsonNode.Parse(Patch("""{"usage":{"prompt_tokens":1,"cost":99,"completion_tokens":2}}""", 0.5m))!;
        Assert.Equal(0.5m, (decimal)patched["usage"]!["cost"]!);
        Assert.Equal(2, (int)patched["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public void WriteWithCost_Unpriced_WritesNull()
    {
        var patched = JsonNode.Parse(Patch("""{"usage":{"prompt_tokens":1}}""", null))!;
        Assert.True(((JsonObject)patched["usage"]!).ContainsKey("cost"));
        Assert.Null(patched["usage"]!["cost"]);
    }

    [Fact]
    public void WriteWithCost_EmptyUsage_NoStrayComma()
    {
        Assert.Equal("""{"usage":{"cost":1}}""", Patch("""{"usage":{}}""", 1m));
    }

    [Theory]
    [InlineData("""{"usage":null}""")]
    [InlineData("""{"choices":[{"usage":{"prompt_tokens":1}}]}""")]
    [InlineData("""{"usage":{"prompt_tokens":1""")]
    [InlineData("[]")]
    public void TryFindUsage_NoTopLevelUsageObject_ReturnsFalse(string json)
    {
        Assert.False(UsagePatcher.TryFindUsage(Encoding.UTF8.GetBytes(json), out _));
    }
}
