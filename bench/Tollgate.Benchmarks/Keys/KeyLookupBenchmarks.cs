using BenchmarkDotNet.Attributes;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Keys;

namespace Tollgate.Benchmarks.Keys;

/// <summary>
/// Finding the virtual key a request presents, among <see cref="KeyCount"/> keys held in memory: SHA-256 of the
/// presented key, then a lookup by hash. <see cref="KeyCache.Find"/> hashes into stack buffers and looks up with a
/// span; the baseline is the straightforward version (hash to a new hex string, then a dictionary lookup).
/// </summary>
[MemoryDiagnoser]
public class KeyLookupBenchmarks
{
    private KeyCache _cache = null!;
    private Dictionary<string, VirtualKey> _byHash = null!;
    private string _presented = string.Empty;

    [Params(1_000)]
    public int KeyCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var keys = Enumerable.Range(0, KeyCount).Select(_ => BenchKeys.New()).ToList();
        _presented = keys[KeyCount / 2].Presented;
        _cache = new KeyCache(new InMemoryKeyStore(keys.ConvertAll(k => k.Stored)), TimeProvider.System);
        _cache.ReloadAsync().GetAwaiter().GetResult();
        _byHash = keys.ToDictionary(k => k.Stored.Hash, k => k.Stored, StringComparer.Ordinal);
        if (Find() is null || HashStringThenLookup() is null || _cache.Find("tg-not-a-key") is not null)
        {
            throw new InvalidOperationException("The key lookup does not find the presented key.");
        }
    }

    [Benchmark(Baseline = true, Description = "hex string hash + Dictionary")]
    public VirtualKey? HashStringThenLookup() => _byHash.GetValueOrDefault(KeyMaterial.Hash(_presented));

    [Benchmark(Description = "KeyCache.Find")]
    public VirtualKey? Find() => _cache.Find(_presented);
}
