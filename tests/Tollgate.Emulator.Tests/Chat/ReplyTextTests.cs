using System.Text.Json;
using Tollgate.Emulator.Chat;

namespace Tollgate.Emulator.Tests.Chat;

public sealed class ReplyTextTests
{
    [Theory]
    [InlineData("abcdefghij", 3)]
    [InlineData("ab", 5)]
    [InlineData("a\ud83d\ude00b\ud83d\ude00c", 4)]
    public void SplitEvenly_AnyText_ExactCountAndLossless(string text, int count)
    {
        var pieces = ReplyText.SplitEvenly(text, count);

        Assert.Equal(count, pieces.Count);
        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces, p => Assert.False(p.Length > 0 && char.IsLowSurrogate(p[0])));
    }

    [Fact]
    public void TruncateWords_MoreWordsThanMax_CutsAfterLastKeptWord()
    {
        var text = ReplyText.TruncateWords("one  two\nthree four", 3, out var words, out var truncated);

        Assert.Equal("one  two\nthree", text);
        Assert.Equal(3, words);
        Assert.True(truncated);
    }

    [Fact]
    public void ToolArguments_SchemaWithoutRequired_EmptyObject()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""");

        Assert.Equal("{}", ToolArguments.Build(schema.RootElement));
        Assert.Equal("{}", ToolArguments.Build(null));
    }
}
