using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Passthrough;
using Xunit;

namespace Tollgate.Gateway.Tests.Relay;

/// <summary>The one SSE loop, on a fake upstream stream and a response body in memory.</summary>
public sealed class StreamRelayTests
{
    private const string Usage = """{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";

    [Fact]
    public async Task RelayAsync_WholeStream_ForwardsEveryEventAndSeesTheEnd()
    {
        var (status, errorType, written, exchange) = await RelayAsync(
            "data: {\"choices\":[{\"delta\":{\"content\":\"He\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"llo\"}}]}\n\ndata: " + Usage + "\n\ndata: [DONE]\n\n");
        Assert.Equal(200, status);
        Assert.Null(errorType);
        Assert.Contains("\"He\"", written, StringComparison.Ordinal);
        Assert.Contains("\"llo\"", written, StringComparison.Ordinal);

        // The client did not ask for the usage chunk, and [DONE] is written by the exchange's end, after settling.
        Assert.DoesNotContain("usage", written, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", written, StringComparison.Ordinal);
        Assert.Equal(5, exchange.Usage!.TotalTokens);
    }

    [Fact]
    public async Task RelayAsync_StreamCutBeforeItsEnd_IsIncomplete()
    {
        var (status, errorType, _, _) = await RelayAsync("data: {\"choices\":[{\"delta\":{\"content\":\"He\"}}]}\n\n", "data: {\"choices\":[");
        Assert.Equal(502, status);
        Assert.Equal("upstream_stream_incomplete", errorType);
    }

    [Fact]
    public async Task RelayAsync_UpstreamSilentPastIdleTimeout_IsIdleTimeout()
    {
        var (status, errorType, written, _) = await RelayAsync("data: {\"choices\":[{\"delta\":{\"content\":\"He\"}}]}\n\n", null, idle: TimeSpan.FromMilliseconds(50));
        Assert.Equal(504, status);
        Assert.Equal("upstream_idle_timeout", errorType);
        Assert.Contains("\"He\"", written, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string? ErrorType, string Written, Exchange Exchange)> RelayAsync(string first, string? rest, TimeSpan? idle = null)
    {
        var upstream = new Upstream(new ProviderSettings { Id = "fake", BaseUrl = "http://fake.invalid/v1", Dialect = UpstreamDialect.OpenAI });
        var body = """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"""u8.ToArray();
        var request = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat);
        var exchange = new OpenAIPassthroughExchange(new Route(upstream, "m", null), request, body, _ => null);
        var pending = new PooledBufferWriter(1024);
        pending.Write(Encoding.UTF8.GetBytes(first));
        Stream stream = rest is null ? new NeverEndingStream() : new MemoryStream(Encoding.UTF8.GetBytes(rest));
        using var events = new UpstreamEvents(stream, pending);
        var context = new DefaultHttpContext();
        var output = new MemoryStream();
        context.Response.Body = output;
        var record = new RequestRecord("req_test", "chat", TimeProvider.System.GetTimestamp(), DateTimeOffset.UtcNow);
        var (status, errorType) = await StreamRelay.RelayAsync(context, exchange, events, record, idle ?? TimeSpan.FromSeconds(30), TimeProvider.System);
        await context.Response.BodyWriter.FlushAsync();
        Assert.NotNull(record.TtftMs);
        return (status, errorType, Encoding.UTF8.GetString(output.ToArray()), exchange);
    }

    /// <summary>An upstream that sends nothing more and never closes.</summary>
    private sealed class NeverEndingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
