using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Upstreams;

/// <summary>An upstream event stream whose first bytes (at least one whole event) are already read into <see cref="Pending"/>.</summary>
internal sealed class UpstreamEvents(Stream stream, PooledBufferWriter pending) : IDisposable
{
    public Stream Stream { get; } = stream;

    /// <summary>Bytes read but not yet relayed.</summary>
    public PooledBufferWriter Pending { get; } = pending;

    public void Dispose()
    {
        Pending.Dispose();
        Stream.Dispose();
    }
}
