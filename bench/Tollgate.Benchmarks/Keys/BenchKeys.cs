using Tollgate.Gateway.Keys;
using Tollgate.Storage.Keys;

namespace Tollgate.Benchmarks.Keys;

/// <summary>Virtual keys drawn the way <c>tollgate keys create</c> draws them, with their stored form.</summary>
internal static class BenchKeys
{
    public static (string Presented, VirtualKey Stored) New(int? rpm = null, long? tpm = null, decimal? threshold = null)
    {
        var key = KeyMaterial.NewKey();
        var now = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        return (key, new VirtualKey
        {
            Prefix = KeyMaterial.Prefix(key),
            Hash = KeyMaterial.Hash(key),
            Name = "bench",
            Rpm = rpm,
            Tpm = tpm,
            Threshold = threshold,
            Retention = KeyRetention.Month,
            CreatedAt = now,
            UpdatedAt = now,
        });
    }
}
