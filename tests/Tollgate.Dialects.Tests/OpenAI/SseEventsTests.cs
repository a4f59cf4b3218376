using System.Buffers;
using System.Text;
using Tollgate.Dialects.OpenAI;
using Tollgate.Dialects.Tests.TestSupport;

namespace Tollgate.Dialects.Tests.OpenAI;

public sealed class SseEventsTests
{
    public static TheoryData<string, string> ChunkRecordings => new()
    {
        { "openai", "openai-text.chunks.txt" },
        { "groq", "groq-tool-call.chunks.txt" },
        { "deepseek", "deepseek-reasoning.chunks.txt" },
        { "deepseek", "deepseek-text.chunks.txt" },
        { "deepseek", "deepseek-tool-call.chunks.txt" },
        { "mistral", "mistral-text.chunks.txt" },
        { "mistral", "mistral-tool-call.chunks.txt" },
        { "moonshot", "moonshotai-stream.chunks.txt" },
        { "xai", "xai-tool-call.chunks.txt" },
    };

    [Theory]
    [MemberData(nameof(ChunkRecordings))]
    public void FindEventLength_RecordedStreamLf_YieldsEveryChunkThenDone(string provider, string file)
    {
        AssertRecordingRoundTrips(provider, file, "\n");
    }

    [Theory]
    [MemberData(nameof(ChunkRecordings))]
    public void FindEventLength_RecordedStreamCrLf_YieldsEveryChunkThenDone(string provider, string file)
    {
        AssertRecordingRoundTrips(provider, file, "\r\n");
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void FindEventLength_SplitAtEveryByte_SameEventsAsWhole(string newline)
    {
        var lines = Recordings.ReadChunks("mistral", "mistral-tool-call.chunks.txt");
        var sse = ToSse(lines, newline);
        var whole = Scan([sse]);
        Assert.Equal(lines.Length + 1, whole.Count);

        for (var split = 0; split <= sse.Length; split++)
        {
            var pieces = Scan([sse[..split], sse[split..]]);

            Assert.Equal(whole.Count, pieces.Count);
            for (var i = 0; i < whole.Count; i++)
            {
                Assert.True(whole[i].AsSpan().SequenceEqual(pieces[i]), $"event {i} differs when split at byte {split}");
            }
        }
    }

    [Fact]
    public void FindEventLength_RecordedStreamInManySmallReads_SameUsageAsWhole()
    {
        // Reads of 7 bytes, as a slow upstream might deliver them; usage still comes out of the last chunk.
        var sse = ToSse(Recordings.ReadChunks("xai", "xai-tool-call.chunks.txt"), "\n");
        var pieces = new List<byte[]>();
        for (var i = 0; i < sse.Length; i += 7)
        {
            pieces.Add(sse[i..Math.Min(i + 7, sse.Length)]);
        }

        var events = Scan(pieces);
        Core.Usage.TokenUsage? usage = null;
        foreach (var e in events)
        {
            Assert.True(SseEvents.TryGetData(e, out var payload));
            if (!SseEvents.IsDone(payload) && OpenAIUsage.TryFindUsage(payload, out var u))
            {
                usage = u;
            }
        }

        Assert.NotNull(usage);
        Assert.Equal(222, usage.OutputTokens); // 26 completion + 196 reasoning
    }

    [Theory]
    [InlineData("", -1)]
    [InlineData("data: x", -1)]
    [InlineData("data: x\n", -1)]
    [InlineData("data: x\r\n", -1)]
    [InlineData("data: x\r\n\r", -1)]
    [InlineData("data: x\n\n", 9)]
    [InlineData("data: x\r\n\r\n", 11)]
    [InlineData("data: x\r\n\n", 10)]
    [InlineData("data: x\n\r\n", 10)]
    [InlineData("data: x\n\ndata: y\n\n", 9)]
    [InlineData("event: a\ndata: x\n\n", 18)]
    [InlineData("\n", 1)]
    [InlineData("\r\n", 2)]
    [InlineData("data: x\r\rdata: y\n\n", 18)] // a lone CR is not a line end
    public void FindEventLength_Cases_ReturnsLength(string text, int expected)
    {
        Assert.Equal(expected, SseEvents.FindEventLength(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("data: {\"a\":1}\n\n", "{\"a\":1}")]
    [InlineData("data:{\"a\":1}\n\n", "{\"a\":1}")]
    [InlineData("data:  two spaces\n\n", " two spaces")]
    [InlineData("data: x\r\n\r\n", "x")]
    [InlineData("data: x", "x")]
    [InlineData("data\n\n", "")]
    [InlineData(": keep-alive\nevent: message\nid: 7\ndata: x\n\n", "x")]
    [InlineData("data: a\ndata: b\n\n", "a\nb")]
    [InlineData("data: a\r\ndata:b\r\ndata\r\n\r\n", "a\nb\n")]
    [InlineData("data: a\n\ndata: b\n\n", "a")]
    public void TryGetData_Cases_ReturnsPayload(string text, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.True(SseEvents.TryGetData(bytes, out var payload));
        Assert.Equal(expected, Encoding.UTF8.GetString(payload));

        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("stale"u8);
        Assert.True(SseEvents.TryGetData(bytes, out var buffered, buffer));
        Assert.Equal(expected, Encoding.UTF8.GetString(buffered));
    }

    [Fact]
    public void TryGetData_SingleLine_SlicesTheEventWithoutCopy()
    {
        var bytes = "data: {\"a\":1}\n\n"u8.ToArray();

        Assert.True(SseEvents.TryGetData(bytes, out var payload));

        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref bytes[6], ref System.Runtime.InteropServices.MemoryMarshal.GetReference(payload)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData(": comment\n\n")]
    [InlineData("event: ping\n\n")]
    [InlineData("database: x\n\n")]
    [InlineData(" data: x\n\n")]
    public void TryGetData_NoDataField_ReturnsFalse(string text)
    {
        Assert.False(SseEvents.TryGetData(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("[DONE]", true)]
    [InlineData("[DONE]\r", true)]
    [InlineData(" [DONE] ", true)]
    [InlineData("[DONE", false)]
    [InlineData("[done]", false)]
    [InlineData("{\"x\":\"[DONE]\"}", false)]
    [InlineData("", false)]
    public void IsDone_Payloads_RecognizesSentinel(string payload, bool expected)
    {
        Assert.Equal(expected, SseEvents.IsDone(Encoding.UTF8.GetBytes(payload)));
    }

    private static void AssertRecordingRoundTrips(string provider, string file, string newline)
    {
        var lines = Recordings.ReadChunks(provider, file);
        var events = Scan([ToSse(lines, newline)]);

        Assert.Equal(lines.Length + 1, events.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.True(SseEvents.TryGetData(events[i], out var payload));
            Assert.Equal(lines[i], Encoding.UTF8.GetString(payload));
            Assert.False(SseEvents.IsDone(payload));
        }

        Assert.True(SseEvents.TryGetData(events[^1], out var done));
        Assert.True(SseEvents.IsDone(done));
    }

    private static byte[] ToSse(IEnumerable<string> lines, string newline)
    {
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            sb.Append("data: ").Append(line).Append(newline).Append(newline);
        }

        sb.Append("data: [DONE]").Append(newline).Append(newline);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Feeds the pieces one at a time, as reads from a socket, cutting complete events as they appear.</summary>
    private static List<byte[]> Scan(IEnumerable<byte[]> pieces)
    {
        var events = new List<byte[]>();
        var pending = new List<byte>();
        foreach (var piece in pieces)
        {
            pending.AddRange(piece);
            int length;
            while ((length = SseEvents.FindEventLength(pending.ToArray())) > 0)
            {
                events.Add(pending.GetRange(0, length).ToArray());
                pending.RemoveRange(0, length);
            }
        }

        Assert.Empty(pending);
        return events;
    }
}
