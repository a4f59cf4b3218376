using System.Buffers;

namespace Tollgate.Gateway.Relay;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>; return it with <see cref="Dispose"/>.</summary>
internal sealed class PooledBufferWriter(int initialCapacity = 16 * 1024) : IBufferWriter<byte>, IDisposable
{
    /// <summary>
    /// Buffers past this size come from the GC, not the shared pool, and go back to it: the pool keeps what it is
    /// given per core, so 16 parallel 12 MB bodies would stay resident (1 GB) long after the requests.
    /// </summary>
    public const int MaxPooledBytes = 1024 * 1024;

    private byte[] _buffer = Rent(initialCapacity);

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
        Return(b);
    }

    private void Ensure(int sizeHint)
    {
        var need = Count + Math.Max(sizeHint, 1);
        if (need <= _buffer.Length)
        {
            return;
        }

        var bigger = Rent(Math.Max(need, _buffer.Length * 2));
        Buffer.BlockCopy(_buffer, 0, bigger, 0, Count);
        Return(_buffer);
        _buffer = bigger;
    }

    private static byte[] Rent(int size) =>
        size > MaxPooledBytes ? GC.AllocateUninitializedArray<byte>(size) : ArrayPool<byte>.Shared.Rent(size);

    private static void Return(byte[] buffer)
    {
        // Rent never pools past MaxPooledBytes, and a pooled array of at most that size is never longer than it.
        if (buffer.Length > 0 && buffer.Length <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
