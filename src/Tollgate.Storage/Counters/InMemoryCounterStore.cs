using System.Collections.Concurrent;

namespace Tollgate.Storage.Counters;

/// <summary>
/// Counters for one instance. Each counter is a small object locked on its own, so keys never contend with
/// each other and a check-and-add is exact: at a limit of 60, exactly 60 concurrent adds of 1 succeed.
/// </summary>
public sealed class InMemoryCounterStore : ICounterStore
{
    private const int SweepThreshold = 100_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _gauges = new(StringComparer.Ordinal);

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
            Sweep(windowEnd);
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

    private void Sweep(long windowEnd)
    {
        // Per-IP counters of public mode come and go; drop windows that ended long ago (windows are at most a day).
        var expired = windowEnd - (2 * TimeSpan.TicksPerDay);
        foreach (var (key, w) in _windows)
        {
            if (w.Id < expired)
            {
                _windows.TryRemove(key, out _);
            }
        }
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
