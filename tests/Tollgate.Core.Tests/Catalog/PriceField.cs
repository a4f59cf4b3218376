using Tollgate.Core.Catalog;

namespace Tollgate.Core.Tests.Catalog;

/// <summary>Reads one price of an entry by the catalog's snake_case name, e.g. <c>batch.cached_input</c>.</summary>
internal static class PriceField
{
    public static decimal? Get(ModelEntry entry, string field)
    {
        var p = entry.Prices;
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return field switch
            {
                "input" => p.Input,
                "cached_input" => p.CachedInput,
                "cache_write_5m" => p.CacheWrite5m,
                "cache_write_1h" => p.CacheWrite1h,
                "output" => p.Output,
                "input_audio" => p.InputAudio,
                "output_audio" => p.OutputAudio,
                _ => throw new ArgumentException($"Unknown price field '{field}'.", nameof(field)),
            };
        }

        var group = field[..dot];
        var name = field[(dot + 1)..];
        if (group == "long_context" || name.StartsWith("long_context.", StringComparison.Ordinal))
        {
            var lc = group == "long_context" ? p.LongContext : Tier(p, group)?.LongContext;
            name = name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
            return lc is null ? null : name switch
            {
                "input" => lc.Input,
                "cached_input" => lc.CachedInput,
                "cache_write_5m" => lc.CacheWrite5m,
                "cache_write_1h" => lc.CacheWrite1h,
                "output" => lc.Output,
                _ => throw new ArgumentException($"Unknown price field '{field}'.", nameof(field)),
            };
        }

        var tier = Tier(p, group);
        return tier is null ? null : name switch
        {
            "input" => tier.Input,
            "cached_input" => tier.CachedInput,
            "output" => tier.Output,
            _ => throw new ArgumentException($"Unknown price field '{field}'.", nameof(field)),
        };
    }

    private static TierPrices? Tier(ModelPrices p, string group) => group switch
    {
        "batch" => p.Batch,
        "flex" => p.Flex,
        "priority" => p.Priority,
        _ => throw new ArgumentException($"Unknown price group '{group}'."),
    };

    /// <summary>Every price of an entry, for checks that must hold for all of them.</summary>
    public static IEnumerable<(string Field, decimal Value)> All(ModelEntry entry)
    {
        string[] fields =
        [
            "input", "cached_input", "cache_write_5m", "cache_write_1h", "output", "input_audio", "output_audio",
            "batch.input", "batch.cached_input", "batch.output", "flex.input", "flex.cached_input", "flex.output",
            "priority.input", "priority.cached_input", "priority.output",
            "long_context.input", "long_context.cached_input", "long_context.cache_write_5m", "long_context.cache_write_1h", "long_context.output",
            "batch.long_context.input", "batch.long_context.cached_input", "batch.long_context.cache_write_5m",
            "batch.long_context.cache_write_1h", "batch.long_context.output",
        ];
        foreach (var f in fields)
        {
            if (Get(entry, f) is { } v)
            {
                yield return (f, v);
            }
        }
    }
}
