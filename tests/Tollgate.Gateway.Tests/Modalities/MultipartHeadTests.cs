using System.Text;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary>The multipart reader stops at the model field: what it holds, and what it leaves in the client's stream.</summary>
public sealed class MultipartHeadTests
{
    private const string Boundary = "----tollgate-boundary-42";

    [Fact]
    public async Task ModelBeforeAMegabyteFile_OnlyTheFirstPartsAreRead()
    {
        var body = Form(modelFirst: true, fileBytes: 1024 * 1024);
        using var stream = new TrickleStream(body, 4096);
        using var head = new PooledBufferWriter(1024);

        var (fields, tooLarge) = await MultipartHead.ReadAsync(stream, Boundary, 16 * 1024 * 1024, head, CancellationToken.None);

        Assert.False(tooLarge);
        Assert.Equal("whisper-1", fields!.Model);
        Assert.Equal("whisper-1", Encoding.UTF8.GetString(head.WrittenSpan[fields.ModelValue]));
        Assert.True(head.Count <= 4096, $"read {head.Count} bytes");
        Assert.True(stream.Position < body.Length - (1024 * 1000));
    }

    [Fact]
    public async Task ModelAfterTheFile_FileBufferedAndTheValueFoundAcrossSmallReads()
    {
        // 7-byte reads: every delimiter and header straddles reads.
        var body = Form(modelFirst: false, fileBytes: 5000);
        using var stream = new TrickleStream(body, 7);
        using var head = new PooledBufferWriter(64);

        var (fields, _) = await MultipartHead.ReadAsync(stream, Boundary, 1024 * 1024, head, CancellationToken.None);

        Assert.Equal("whisper-1", fields!.Model);
        Assert.True(head.Count > 5000);
        Assert.Equal("whisper-1", Encoding.UTF8.GetString(head.WrittenSpan[fields.ModelValue]));
    }

    [Fact]
    public async Task TextFields_BeforeAndAfterTheModel_AreKeptAcrossReads_FilesAreNot()
    {
        var text = string.Concat(
            Part("prompt", "paint it red"),
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n",
            Part("model", "dall-e-2"),
            Part("n", "2"),
            Part("size", "512x512"));
        var late = Part("quality", "hd") + $"--{Boundary}--\r\n";
        using var stream = new ChunkedStream([Encoding.ASCII.GetBytes(text), Encoding.ASCII.GetBytes(late)]);
        using var head = new PooledBufferWriter(1024);

        var (fields, _) = await MultipartHead.ReadAsync(stream, Boundary, 1024 * 1024, head, CancellationToken.None);

        Assert.Equal("dall-e-2", fields!.Model);
        // The text fields after the model are read on, across reads, to the body's end.
        Assert.Equal(new Dictionary<string, string> { ["prompt"] = "paint it red", ["model"] = "dall-e-2", ["n"] = "2", ["size"] = "512x512", ["quality"] = "hd" }, fields.Fields);
        Assert.Equal(text.Length + late.Length, head.Count);
    }

    [Fact]
    public async Task ModelAfterAFilePastTheLimit_TooLarge()
    {
        using var stream = new TrickleStream(Form(modelFirst: false, fileBytes: 200_000), 65536);
        using var head = new PooledBufferWriter(64);
        var (fields, tooLarge) = await MultipartHead.ReadAsync(stream, Boundary, 100_000, head, CancellationToken.None);
        Assert.Null(fields);
        Assert.True(tooLarge);
    }

    [Fact]
    public async Task NoModelField_NullNotTooLarge()
    {
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n--{Boundary}--\r\n");
        using var stream = new TrickleStream(body, 100);
        using var head = new PooledBufferWriter(64);
        var (fields, tooLarge) = await MultipartHead.ReadAsync(stream, Boundary, 1024, head, CancellationToken.None);
        Assert.Null(fields);
        Assert.False(tooLarge);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=abc", "abc")]
    [InlineData("multipart/form-data; boundary=\"a b\"", "a b")]
    [InlineData("application/json", null)]
    [InlineData(null, null)]
    public void Boundary_FromTheContentType(string? contentType, string? boundary) =>
        Assert.Equal(boundary, MultipartHead.Boundary(contentType));

    private static string Part(string name, string value) => $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n";

    /// <summary>Returns each chunk from its own read, as a client's separate writes arrive.</summary>
    private sealed class ChunkedStream(byte[][] chunks) : Stream
    {
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_next == chunks.Length)
            {
                return 0;
            }

            var chunk = chunks[_next++];
            chunk.CopyTo(buffer, offset);
            return chunk.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Form(bool modelFirst, int fileBytes)
    {
        var model = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n";
        var fileHead = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n";
        using var form = new MemoryStream();
        if (modelFirst)
        {
            form.Write(Encoding.ASCII.GetBytes(model));
        }

        form.Write(Encoding.ASCII.GetBytes(fileHead));

        // File bytes that hold dashes and CRLFs, but never the delimiter.
        var file = new byte[fileBytes];
        for (var i = 0; i < file.Length; i++)
        {
            file[i] = (byte)"\r\n--x-"[i % 6];
        }

        form.Write(file);
        form.Write("\r\n"u8);
        if (!modelFirst)
        {
            form.Write(Encoding.ASCII.GetBytes(model));
        }

        form.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        return form.ToArray();
    }

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes a read, as a slow client's socket does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
