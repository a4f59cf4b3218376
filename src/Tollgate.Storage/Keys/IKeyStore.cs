namespace Tollgate.Storage.Keys;

/// <summary>Durable storage of virtual keys. Reads are for start-up and management; the gateway caches keys in memory.</summary>
public interface IKeyStore
{
    /// <summary>Every key, oldest first; deleted ones only when <paramref name="includeDeleted"/>.</summary>
    Task<IReadOnlyList<VirtualKey>> ListAsync(bool includeDeleted = false, CancellationToken cancellationToken = default);

    /// <summary>The key with this prefix (deleted ones included), or null.</summary>
    Task<VirtualKey?> FindAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Stores a new key; false when its prefix or hash is already taken (the caller draws a new key).</summary>
    Task<bool> TryInsertAsync(VirtualKey key, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored settings of the key with <c>key.Prefix</c>; false when there is none.</summary>
    Task<bool> UpdateAsync(VirtualKey key, CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever any key changes, so caches can tell when to reload.</summary>
    Task<long> VersionAsync(CancellationToken cancellationToken = default);
}
