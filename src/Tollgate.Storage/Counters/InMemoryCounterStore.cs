using System.Collections.Concurrent;

namespace Tollgate.Storage.Counters;

/// <summary>
/// Counters for one instance. Each counter is a small object locked on its own, so keys never contend with
/// each other and a check-and-add is exact: at a limit of 60, exactly 60 concurrent adds of 1 succeed.
/// </summary>
public sealed class InMemoryCounterStore : ICounterStore
{
    /// <summary>Windows kept before each add starts dropping expired ones, <see cref="SweepPerAdd"/> at a time.</summary>
    public const int SweepThreshold = 100_000;

    /// <summary>Windows an add visits at most to drop expired ones: O(1) per request however many clients there were.</summary>
    public const int SweepPerAdd = 16;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _gauges = new(StringComparer.Ordinal);
    private readonly IncrementalSweep<Window> _sweep;

    public InMemoryCounterStore()
    {
        _sweep = new IncrementalSweep<Window>(_windows, SweepPerAdd);
    }

    /// <summary>Windows held (every key's current window).</summary>
    public int WindowCount => _windows.Count;

    /// <summary>Windows visited by the sweep of expired ones so far.</summary>
    public long SweepVisited => _sweep.Visited;

    public ValueTask<CounterResult> TryAddAsync(string key, long windowEnd, long amount, long limit)
    {
        var w = _windows.GetOrAdd(key, static _ => new Window());
        CounterResult result;
        lock (w)
        {
            if (w.Id < windowEnd)
            {
                w.Id = windowEnd;
                w.Count = 0;
            }

            if (w.Count + amount <= limit)
            {
                w.Count += amount;
                result = new CounterResult(true, w.Count);
            }
            else
            {
                result = new CounterResult(false, w.Count);
            }
        }

        if (_windows.Count > SweepThreshold)
        {
            // Per-IP counters of public mode come and go; drop windows that ended long ago (windows are at most a day).
            _sweep.Step(windowEnd - (2 * TimeSpan.TicksPerDay), static (_, w, expired) => Volatile.Read(ref w.Id) < expired);
        }

        return ValueTask.FromResult(result);
    }

    public ValueTask AddAsync(string key, long windowEnd, long amount)
    {
        if (_windows.TryGetValue(key, out var w))
        {
            lock (w)
            {
                if (w.Id == windowEnd)
                {
                    w.Count = Math.Max(0, w.Count + amount);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> TryAcquireAsync(string key, long limit)
    {
        var g = _gauges.GetOrAdd(key, static _ => new StrongBox());
        lock (g)
        {
            if (g.Value >= limit)
            {
                return ValueTask.FromResult(-1L);
            }

            return ValueTask.FromResult(++g.Value);
        }
    }

    public ValueTask ReleaseAsync(string key)
    {
        if (_gauges.TryGetValue(key, out var g))
        {
            lock (g)
            {
                if (g.Value > 0)
                {
                    g.Value--;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Window
    {
        public long Id;
        public long Count;
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
