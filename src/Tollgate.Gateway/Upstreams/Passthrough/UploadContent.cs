using System.Net;
using System.Net.Http.Headers;
using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A client's multipart upload on its way to the upstream: the head the gateway read (with the model's value
/// replaced), then the rest copied from the client's stream as it arrives, never held whole. Counting every byte,
/// it stops the upload past the body limit. Sent once: the client's stream cannot be read twice.
/// </summary>
internal sealed class UploadContent : HttpContent
{
    private readonly ReadOnlyMemory<byte> _before;
    private readonly byte[] _model;
    private readonly ReadOnlyMemory<byte> _after;
    private readonly Stream _rest;
    private readonly long _limit;
    private readonly long? _clientLength;
    private readonly int _replaced;

    public UploadContent(PooledBufferWriter head, Range modelValue, byte[] upstreamModel, Stream rest, string contentType, long limit, long? clientLength)
    {
        var (offset, length) = modelValue.GetOffsetAndLength(head.Count);
        _before = head.WrittenMemory[..offset];
        _model = upstreamModel;
        _after = head.WrittenMemory[(offset + length)..];
        _replaced = length;
        _rest = rest;
        _limit = limit;
        _clientLength = clientLength;
        Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
    }

    /// <summary>Bytes of the client's body sent so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Whether the client's body ran past the limit (the upload was stopped).</summary>
    public bool TooLarge { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_before, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_model, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_after, cancellationToken).ConfigureAwait(false);
        Sent = _before.Length + _replaced + _after.Length;
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await _rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            Sent += n;
            if (Sent > _limit)
            {
                TooLarge = true;
                throw new HttpRequestException("The upload is larger than the gateway's body limit.");
            }

            await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _clientLength is { } client ? client - _replaced + _model.Length : 0;
        return _clientLength is not null;
    }
}
