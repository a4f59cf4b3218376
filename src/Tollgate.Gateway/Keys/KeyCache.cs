using Microsoft.Extensions.Hosting;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// All keys in memory, looked up by hash on the request path without touching the database. The management API
/// reloads it after each change; a timer also reloads it when the store's version moved, which is how
/// changes made by <c>tollgate keys</c> (writing to the database directly) reach a running gateway. A store that
/// announces changes (<see cref="IKeyChangeSource"/>: PostgreSQL's NOTIFY) has every instance reload at once.
/// </summary>
internal sealed class KeyCache(IKeyStore store, TimeProvider time) : IHostedService, IDisposable
{
    /// <summary>How often the store's version is checked for changes made outside this process.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private readonly CancellationTokenSource _stop = new();
    private ITimer? _timer;
    private Task? _watch;
    private int _polling;
    private int _again;

    /// <summary>The key whose hash is that of <paramref name="presented"/> (deleted ones included), or null.</summary>
    public VirtualKey? Find(ReadOnlySpan<char> presented)
    {
        Span<byte> hash = stackalloc byte[32];
        return KeyMaterial.TryHash(presented, hash) ? FindByHash(hash) : null;
    }

    /// <summary>The key with this SHA-256 (deleted ones included), or null.</summary>
    public VirtualKey? FindByHash(ReadOnlySpan<byte> sha256)
    {
        Span<char> hex = stackalloc char[64];
        return Convert.TryToHexStringLower(sha256, hex, out _)
            && _snapshot.ByHash.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hex, out var key) ? key : null;
    }

    /// <summary>The key with this prefix as last loaded, or null.</summary>
    public VirtualKey? FindByPrefix(string prefix) => _snapshot.ByPrefix.GetValueOrDefault(prefix);

    /// <summary>Every live key as last loaded.</summary>
    public IEnumerable<VirtualKey> All => _snapshot.ByPrefix.Values.Where(static k => k.DeletedAt is null);

    /// <summary>Raised after a reload with the keys whose settings changed (by prefix).</summary>
    public event Action<IReadOnlyList<VirtualKey>>? Changed;

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var version = await store.VersionAsync(cancellationToken).ConfigureAwait(false);
        var keys = await store.ListAsync(includeDeleted: true, cancellationToken).ConfigureAwait(false);
        var old = _snapshot;
        var next = new Snapshot(
            keys.ToDictionary(static k => k.Hash, StringComparer.Ordinal),
            keys.ToDictionary(static k => k.Prefix, StringComparer.Ordinal),
            version);
        _snapshot = next;
        var changed = keys.Where(k => !old.ByPrefix.TryGetValue(k.Prefix, out var before) || before != k).ToList();
        if (changed.Count > 0)
        {
            Changed?.Invoke(changed);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(static s => ((KeyCache)s!).Poll(), this, PollInterval, PollInterval);
        if (store is IKeyChangeSource changes)
        {
            _watch = changes.WatchAsync(Poll, _stop.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_watch is not null)
        {
            await _watch.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stop.Dispose();
    }

    private async void Poll()
    {
        // A notice that arrives during a reload must not be lost: it makes the poller go round once more.
        Volatile.Write(ref _again, 1);
        while (Volatile.Read(ref _again) == 1 && Interlocked.Exchange(ref _polling, 1) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref _again, 0) == 1)
                {
                    if (await store.VersionAsync().ConfigureAwait(false) != _snapshot.Version)
                    {
                        await ReloadAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (Exception)
            {
                // The database is busy or being replaced: the next tick tries again; requests keep the last snapshot.
            }
            finally
            {
                Volatile.Write(ref _polling, 0);
            }
        }
    }

    private sealed record Snapshot(Dictionary<string, VirtualKey> ByHash, Dictionary<string, VirtualKey> ByPrefix, long Version)
    {
        public static Snapshot Empty { get; } = new(new(StringComparer.Ordinal), new(StringComparer.Ordinal), -1);
    }
}
