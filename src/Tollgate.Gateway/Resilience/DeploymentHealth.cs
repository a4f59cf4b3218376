namespace Tollgate.Gateway.Resilience;

/// <summary>The passive health of one deployment: requests in flight and a moving average of time to first token.</summary>
internal sealed class DeploymentHealth
{
    private readonly Lock _lock = new();
    private int _inFlight;
    private double _ewmaMs;
    private long _samples;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many times to first token were recorded.</summary>
    public long Samples
    {
        get
        {
            lock (_lock)
            {
                return _samples;
            }
        }
    }

    /// <summary>The exponentially weighted moving average of time to first token; null before the first sample.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get
        {
            lock (_lock)
            {
                return _samples == 0 ? null : TimeSpan.FromMilliseconds(_ewmaMs);
            }
        }
    }

    internal void Enter() => Interlocked.Increment(ref _inFlight);

    internal void Exit() => Interlocked.Decrement(ref _inFlight);

    internal void Record(TimeSpan sample, double alpha)
    {
        var ms = Math.Max(0, sample.TotalMilliseconds);
        lock (_lock)
        {
            // The first sample is the average; after that each moves it by alpha.
            _ewmaMs = _samples == 0 ? ms : (alpha * ms) + ((1 - alpha) * _ewmaMs);
            _samples++;
        }
    }
}
