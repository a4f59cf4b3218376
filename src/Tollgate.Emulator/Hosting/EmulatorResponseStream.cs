using System.IO.Pipelines;

namespace Tollgate.Emulator;

/// <summary>
/// The read side of an in-process emulator response. Disposing it stops the background writer;
/// a writer fault surfaces as an <see cref="IOException"/> once the bytes sent before it are read.
/// </summary>
internal sealed class EmulatorResponseStream(PipeReader reader) : Stream
{
    private readonly Stream _inner = reader.AsStream();
    private readonly CancellationTokenSource _aborted = new();
    private volatile IOException? _fault;
    private int _disposed;

    /// <summary>Cancelled when the reader goes away, so the writer stops producing.</summary>
    public CancellationToken Aborted => _aborted.Token;

    public IOException? Fault
    {
        get => _fault;
        set => _fault = value;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        if (read == 0 && buffer.Length > 0 && _fault is { } fault)
        {
            throw new IOException(fault.Message, fault);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // HttpContent and its readers may both dispose the stream; only the first call acts.
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _aborted.Cancel();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
