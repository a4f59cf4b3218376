using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// A multipart upload read as far as its model: the head (in the pipeline's body buffer), where the model's value
/// sits in it, and the client's stream holding the rest. The rest can be sent once only.
/// </summary>
internal sealed class UploadRequest(PooledBufferWriter head, MultipartHead fields, Stream rest, string contentType, long limit, long? length)
{
    public PooledBufferWriter Head { get; } = head;

    public MultipartHead Fields { get; } = fields;

    /// <summary>The client's body stream, positioned after the head.</summary>
    public Stream Rest { get; } = rest;

    /// <summary>The client's <c>Content-Type</c>, boundary included, sent on unchanged.</summary>
    public string ContentType { get; } = contentType;

    /// <summary>The gateway's body limit, enforced while the rest is copied.</summary>
    public long Limit { get; } = limit;

    /// <summary>The client's <c>Content-Length</c>, when it sent one.</summary>
    public long? Length { get; } = length;

    /// <summary>Reads the answer's usage for the ledger.</summary>
    public required UploadMeter Meter { get; init; }

    /// <summary>Whether an attempt has begun sending the rest.</summary>
    public bool Started { get; set; }
}
