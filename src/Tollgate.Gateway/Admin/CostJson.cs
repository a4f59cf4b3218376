using System.Text.Json;
using Tollgate.Core.Pricing;

namespace Tollgate.Gateway.Admin;

/// <summary>A cost's parts as the calculator and the request detail write them.</summary>
internal static class CostJson
{
    /// <summary>Writes <c>"name": {input, cache_read, cache_write, output, long_context}</c>.</summary>
    public static void WriteParts(Utf8JsonWriter w, string name, Cost cost)
    {
        w.WriteStartObject(name);
        w.WriteNumber("input", Money.Normalize(cost.Input));
        w.WriteNumber("cache_read", Money.Normalize(cost.CacheRead));
        w.WriteNumber("cache_write", Money.Normalize(cost.CacheWrite));
        w.WriteNumber("output", Money.Normalize(cost.Output));
        w.WriteBoolean("long_context", cost.LongContext);
        w.WriteEndObject();
    }
}
