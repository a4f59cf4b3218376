using System.Buffers;

namespace Tollgate.Gateway.Relay;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>; return it with <see cref="Dispose"/>.</summary>
internal sealed class PooledBufferWriter(int initialCapacity = 16 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Count { get; private set; }
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Count);
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Count);

    public void Advance(int count) => Count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(Count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(Count);
    }

    /// <summary>Drops the first <paramref name="count"/> bytes, keeping the rest.</summary>
    public void Consume(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, Count - count);
        Count -= count;
    }

    public void Clear() => Count = 0;

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private void Ensure(int sizeHint)
    {
        var need = Count + Math.Max(sizeHint, 1);
        if (need <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _buffer.Length * 2));
        Buffer.BlockCopy(_buffer, 0, bigger, 0, Count);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
