using Tollgate.Storage.Keys;

namespace Tollgate.Benchmarks.Keys;

/// <summary>A fixed set of keys standing in for the SQLite store: the benchmarks only need <see cref="ListAsync"/> to fill the cache.</summary>
internal sealed class InMemoryKeyStore(IReadOnlyList<VirtualKey> keys) : IKeyStore
{
    public Task<IReadOnlyList<VirtualKey>> ListAsync(bool includeDeleted = false, CancellationToken cancellationToken = default) => Task.FromResult(keys);

    public Task<VirtualKey?> FindAsync(string prefix, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.FirstOrDefault(k => k.Prefix == prefix));

    public Task<bool> TryInsertAsync(VirtualKey key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> UpdateAsync(VirtualKey key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<long> VersionAsync(CancellationToken cancellationToken = default) => Task.FromResult(1L);
}
