namespace Tollgate.Core.Catalog;

/// <summary>
/// The two layers of the built-in catalog. The seed layer (<c>Catalog/catalog.json</c>) holds the models priced from
/// the seed documents, each with its source; the community layer below it is LiteLLM's price file
/// (<c>Catalog/Community/</c>, MIT licence, notice beside it), imported by <see cref="LiteLlmImporter"/>. Where both
/// price a model the seed entry wins; it takes limits, capabilities and unit prices from the community entry only
/// where the seed states none (see <see cref="Combine"/>).
/// </summary>
public static class CatalogLayers
{
    /// <summary>The community layer's file name, as recorded in each of its entries' <see cref="CatalogSource.File"/>.</summary>
    public const string CommunityFile = "litellm-model-prices-2026-08.json";

    /// <summary>When the community file was taken.</summary>
    public const string CommunityDate = "2026-08";

    private static readonly Lazy<IReadOnlyList<ModelEntry>> s_seed = new(() => Read("Tollgate.Core.catalog.json", CatalogFile.Read));

    private static readonly Lazy<LiteLlmImportResult> s_community = new(() =>
        Read("Tollgate.Core.community.json", stream => LiteLlmImporter.Import(stream, CommunityFile, CommunityDate)));

    /// <summary>The seed-priced models, as written in <c>catalog.json</c>.</summary>
    public static IReadOnlyList<ModelEntry> Seed => s_seed.Value;

    /// <summary>The community layer's import, with what it skipped and why.</summary>
    public static LiteLlmImportResult Community => s_community.Value;

    /// <summary>
    /// <paramref name="upper"/> over <paramref name="lower"/>: an upper entry replaces the lower one of the same id, and
    /// also any lower entry named by one of its aliases (the upper layer says that name is its model, at its price).
    /// An upper entry without a context window, output limit, capabilities or unit prices takes them from the lower
    /// entry it replaces, and records where they came from in <see cref="ModelEntry.FilledFrom"/>; its token prices
    /// never change.
    /// </summary>
    public static IReadOnlyList<ModelEntry> Combine(IReadOnlyList<ModelEntry> upper, IReadOnlyList<ModelEntry> lower)
    {
        ArgumentNullException.ThrowIfNull(upper);
        ArgumentNullException.ThrowIfNull(lower);
        var lowerById = new Dictionary<string, ModelEntry>(lower.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in lower)
        {
            lowerById[entry.Id] = entry;
        }

        var result = new List<ModelEntry>(upper.Count + lower.Count);
        var replaced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in upper)
        {
            replaced.Add(entry.Id);
            var under = lowerById.GetValueOrDefault(entry.Id);
            foreach (var alias in entry.Aliases)
            {
                var aliasId = entry.Provider + "/" + alias;
                replaced.Add(aliasId);
                under ??= lowerById.GetValueOrDefault(aliasId);
            }

            result.Add(under is null ? entry : FillLimits(entry, under));
        }

        foreach (var entry in lower)
        {
            if (!replaced.Contains(entry.Id))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    private static ModelEntry FillLimits(ModelEntry entry, ModelEntry under)
    {
        var filled = entry with
        {
            ContextWindow = entry.ContextWindow ?? under.ContextWindow,
            MaxOutput = entry.MaxOutput ?? under.MaxOutput,
            Capabilities = entry.Capabilities.Count > 0 ? entry.Capabilities : under.Capabilities,
            Prices = entry.Prices.Units is null && under.Prices.Units is { } units ? entry.Prices with { Units = units } : entry.Prices,
        };
        return filled == entry ? entry : filled with { FilledFrom = under.Source };
    }

    private static T Read<T>(string resource, Func<Stream, T> read)
    {
        using var stream = typeof(CatalogLayers).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The built-in catalog resource {resource} is missing.");
        return read(stream);
    }
}
