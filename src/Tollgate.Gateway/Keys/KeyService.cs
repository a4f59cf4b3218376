using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Keys;

/// <summary>Creates, changes and deletes keys in the store; shared by the management API and <c>tollgate keys</c>.</summary>
internal sealed class KeyService(IKeyStore store, TimeProvider time)
{
    /// <summary>A new key with <paramref name="edits"/> applied. The full key is returned only here and stored only as its hash.</summary>
    public async Task<(VirtualKey Key, string Secret)> CreateAsync(KeyEdits edits, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var secret = KeyMaterial.NewKey();
            var now = time.GetUtcNow();
            var key = edits.Apply(new VirtualKey
            {
                Prefix = KeyMaterial.Prefix(secret),
                Hash = KeyMaterial.Hash(secret),
                CreatedAt = now,
                UpdatedAt = now,
            });
            if (await store.TryInsertAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return (key, secret);
            }

            // The prefix (5 random characters) is taken; draw again.
            if (attempt > 20)
            {
                throw new InvalidOperationException("Could not draw an unused key prefix.");
            }
        }
    }

    /// <summary>The key after <paramref name="edits"/>, or null when no live key has this prefix.</summary>
    public async Task<VirtualKey?> UpdateAsync(string prefix, KeyEdits edits, CancellationToken cancellationToken = default)
    {
        var key = await store.FindAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (key is null || key.DeletedAt is not null)
        {
            return null;
        }

        var updated = edits.Apply(key) with { UpdatedAt = time.GetUtcNow() };
        return await store.UpdateAsync(updated, cancellationToken).ConfigureAwait(false) ? updated : null;
    }

    /// <summary>Marks the key deleted; false when no live key has this prefix.</summary>
    public async Task<bool> DeleteAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var key = await store.FindAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (key is null || key.DeletedAt is not null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        return await store.UpdateAsync(key with { DeletedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
    }
}
