namespace Tollgate.Storage.Keys;

/// <summary>
/// A key store that can tell when any key changed, in this process or another one (PostgreSQL's LISTEN/NOTIFY), so
/// every instance's cache reloads at once instead of at its next poll.
/// </summary>
public interface IKeyChangeSource
{
    /// <summary>
    /// Calls <paramref name="onChange"/> after each committed change until <paramref name="cancellationToken"/> is
    /// cancelled. Reconnects by itself after a lost connection and then calls <paramref name="onChange"/> once, since
    /// changes may have been missed meanwhile.
    /// </summary>
    Task WatchAsync(Action onChange, CancellationToken cancellationToken);
}
