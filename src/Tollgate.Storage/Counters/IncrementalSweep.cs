using System.Collections.Concurrent;

namespace Tollgate.Storage.Counters;

/// <summary>
/// Drops expired entries of a dictionary a few at a time: each <see cref="Step{TArg}"/> visits at most
/// <c>perStep</c> entries, resuming where the last step stopped and starting over at the end, so a request pays
/// O(1) however many entries (public mode's per-client counters) there are, and a full pass is spread over many.
/// </summary>
/// <typeparam name="TValue">The entries' type.</typeparam>
public sealed class IncrementalSweep<TValue>(ConcurrentDictionary<string, TValue> entries, int perStep)
    where TValue : class
{
    private readonly Lock _lock = new();
    private IEnumerator<KeyValuePair<string, TValue>>? _cursor;
    private long _visited;

    /// <summary>Entries visited by every step so far (what a step costs, for tests).</summary>
    public long Visited => Interlocked.Read(ref _visited);

    /// <summary>Visits up to <c>perStep</c> entries and removes those <paramref name="expired"/> says are; a step already running elsewhere makes this one a no-op.</summary>
    public void Step<TArg>(TArg arg, Func<string, TValue, TArg, bool> expired)
    {
        ArgumentNullException.ThrowIfNull(expired);
        if (!_lock.TryEnter())
        {
            return;
        }

        try
        {
            for (var i = 0; i < perStep; i++)
            {
                // The dictionary's enumerator is safe under concurrent changes; a fresh one starts a new pass.
                _cursor ??= entries.GetEnumerator();
                if (!_cursor.MoveNext())
                {
                    _cursor.Dispose();
                    _cursor = null;
                    break;
                }

                Interlocked.Increment(ref _visited);
                var (key, value) = _cursor.Current;
                if (expired(key, value, arg))
                {
                    entries.TryRemove(KeyValuePair.Create(key, value));
                }
            }
        }
        finally
        {
            _lock.Exit();
        }
    }
}
