namespace Tollgate.Core.Catalog;

/// <summary>
/// What changed between two versions of a catalog layer, entry by entry (<c>provider/model</c>): models added,
/// removed, and token prices changed (USD per 1M tokens, per kind). A model whose token prices are equal but whose
/// other prices differ (tiers, long context, per-unit prices) is listed once with the kind <see cref="OtherPrices"/>.
/// </summary>
public sealed record CatalogDiff
{
    /// <summary>The kind of a change to prices other than the per-token ones, which carries no old and new number.</summary>
    public const string OtherPrices = "other prices (tiers, long context, per unit)";

    private static readonly (string Kind, Func<ModelPrices, decimal?> Get)[] s_tokenKinds =
    [
        ("input", p => p.Input),
        ("cached_input", p => p.CachedInput),
        ("cache_write_5m", p => p.CacheWrite5m),
        ("cache_write_1h", p => p.CacheWrite1h),
        ("output", p => p.Output),
        ("reasoning", p => p.Reasoning),
        ("input_audio", p => p.InputAudio),
        ("cached_input_audio", p => p.CachedInputAudio),
        ("output_audio", p => p.OutputAudio),
        ("input_image", p => p.InputImage),
        ("output_image", p => p.OutputImage),
    ];

    /// <summary>Models in the new version only, by id.</summary>
    public required IReadOnlyList<ModelEntry> Added { get; init; }

    /// <summary>Models in the old version only, by id.</summary>
    public required IReadOnlyList<ModelEntry> Removed { get; init; }

    /// <summary>Each changed price: one row per model and kind.</summary>
    public required IReadOnlyList<PriceChange> Changed { get; init; }

    /// <summary>How many models have at least one changed price.</summary>
    public int ChangedModels => Changed.Select(c => c.Model).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>; rows are ordered by model id.</summary>
    public static CatalogDiff Between(IReadOnlyList<ModelEntry> before, IReadOnlyList<ModelEntry> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = ById(before);
        var now = ById(after);
        var changed = new List<PriceChange>();
        foreach (var (id, entry) in now.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (old.GetValueOrDefault(id) is { } was && was.Prices != entry.Prices)
            {
                var before0 = changed.Count;
                foreach (var (kind, get) in s_tokenKinds)
                {
                    if (get(was.Prices) != get(entry.Prices))
                    {
                        changed.Add(new PriceChange(entry.Id, kind, get(was.Prices), get(entry.Prices)));
                    }
                }

                if (changed.Count == before0)
                {
                    changed.Add(new PriceChange(entry.Id, OtherPrices, null, null));
                }
            }
        }

        return new CatalogDiff
        {
            Added = [.. now.Where(kv => !old.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => kv.Value)],
            Removed = [.. old.Where(kv => !now.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => kv.Value)],
            Changed = changed,
        };
    }

    private static Dictionary<string, ModelEntry> ById(IReadOnlyList<ModelEntry> entries)
    {
        var byId = new Dictionary<string, ModelEntry>(entries.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            byId.TryAdd(entry.Id, entry);
        }

        return byId;
    }
}
