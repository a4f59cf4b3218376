using BenchmarkDotNet.Attributes;
using Tollgate.Storage.Counters;

namespace Tollgate.Benchmarks.Admission;

/// <summary>
/// The in-memory rate-limit counters as admission uses them for one request: a check-and-add of 1 in the key's
/// RPM window, and (with a TPM limit) a check-and-add of the prompt's tokens in its TPM window plus the correction
/// to the provider's reported total when the request settles. The RPM-only case is the baseline.
/// </summary>
[MemoryDiagnoser]
public class CounterStoreBenchmarks
{
    private const string RpmKey = "rpm:tg-AbCdE";
    private const string TpmKey = "tpm:tg-AbCdE";
    private readonly InMemoryCounterStore _counters = new();
    private long _windowEnd;

    [GlobalSetup]
    public void Setup() =>

        // A window far in the future, so every operation lands in the same window and none is refused.
        _windowEnd = DateTimeOffset.UtcNow.AddYears(1).UtcTicks;

    [Benchmark(Baseline = true, Description = "RPM check-and-add")]
    public bool Rpm() => Done(_counters.TryAddAsync(RpmKey, _windowEnd, 1, long.MaxValue)).Allowed;

    [Benchmark(Description = "RPM + TPM check-and-add + TPM settle")]
    public bool RpmTpm()
    {
        var allowed = Done(_counters.TryAddAsync(RpmKey, _windowEnd, 1, long.MaxValue)).Allowed
            & Done(_counters.TryAddAsync(TpmKey, _windowEnd, 31, long.MaxValue)).Allowed;
        var settle = _counters.AddAsync(TpmKey, _windowEnd, 51 - 31);
        return settle.IsCompletedSuccessfully && allowed;
    }

    // The in-memory store always completes synchronously; the fallback only keeps this correct for another store.
    private static CounterResult Done(ValueTask<CounterResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
