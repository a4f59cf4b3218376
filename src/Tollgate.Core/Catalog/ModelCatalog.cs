using System.Collections.Frozen;

namespace Tollgate.Core.Catalog;

/// <summary>
/// Every known model with its prices. Lookups are by <c>provider</c> + model name (or alias), or by a bare
/// model name across providers. Immutable: merging returns a new catalog, so readers never lock.
/// </summary>
/// <remarks>
/// A catalog may be deferred: its index is built on first use, or on a background thread once
/// <see cref="Preload"/> is called. The built-in catalog is deferred and preloads when first mentioned, so a gateway
/// starts listening without waiting for the community layer's 2,700 entries to be read; a lookup that comes before
/// they are ready waits for them.
/// </remarks>
public sealed class ModelCatalog
{
    private readonly Lazy<Index> _index;

    /// <summary>A catalog of <paramref name="models"/>; of two entries with one id, the later wins.</summary>
    public ModelCatalog(IEnumerable<ModelEntry> models) => _index = new Lazy<Index>(new Index(models));

    private ModelCatalog(Func<IEnumerable<ModelEntry>> models) =>
        _index = new Lazy<Index>(() => new Index(models()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A deferred catalog: <paramref name="load"/> runs once, on first use or on <see cref="Preload"/>'s thread.</summary>
    public static ModelCatalog Deferred(Func<IEnumerable<ModelEntry>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return new ModelCatalog(load);
    }

    /// <summary>All models, ordered by provider and name.</summary>
    public IReadOnlyList<ModelEntry> Models => _index.Value.Models;

    /// <summary>Whether the index is built (always, unless the catalog is deferred and not yet used).</summary>
    public bool IsLoaded => _index.IsValueCreated;

    /// <summary>Finds a provider's model by its name or one of its aliases.</summary>
    public ModelEntry? Find(string provider, string model) =>
        _index.Value.ByProviderAndName.TryGetValue(Key(provider, model), out var entry) ? entry : null;

    /// <summary>Every model, of any provider, whose name or alias is <paramref name="name"/>.</summary>
    public IReadOnlyList<ModelEntry> FindByName(string name) =>
        _index.Value.ByBareName.TryGetValue(name, out var entries) ? entries : [];

    /// <summary>
    /// A new catalog with <paramref name="overrides"/> replacing entries of the same id and adding the rest; deferred
    /// (and preloading) when this one is not loaded yet.
    /// </summary>
    public ModelCatalog Merge(IEnumerable<ModelEntry> overrides)
    {
        var list = overrides.ToList();
        return IsLoaded ? new ModelCatalog(Models.Concat(list)) : Deferred(() => Models.Concat(list)).Preload();
    }

    /// <summary>Starts building a deferred catalog's index on a background thread; returns this catalog.</summary>
    /// <remarks>
    /// A thread of its own rather than the thread pool: at start-up the pool has about one thread per core, and a
    /// pool thread busy for a few hundred milliseconds (or waiting on the catalog this one merges over) would hold up
    /// Kestrel's first requests until the pool grows.
    /// </remarks>
    public ModelCatalog Preload()
    {
        if (!IsLoaded)
        {
            var thread = new Thread(
                static state =>
                {
                    try
                    {
                        _ = ((ModelCatalog)state!)._index.Value;
                    }
                    catch
                    {
                        // The Lazy keeps the exception and throws it to the first caller, who can report it.
                    }
                })
            {
                IsBackground = true,
                Name = "Tollgate catalog preload",
            };
            thread.Start(this);
        }

        return this;
    }

    /// <summary>The catalog shipped inside Tollgate: the seed layer over the community layer (<see cref="CatalogLayers"/>).</summary>
    public static ModelCatalog BuiltIn => s_builtIn.Value;

    /// <summary>The seed layer alone: the models priced in the seed documents.</summary>
    public static ModelCatalog Seed => s_seed.Value;

    private static readonly Lazy<ModelCatalog> s_builtIn = new(() =>
        Deferred(() => CatalogLayers.Combine(CatalogLayers.Seed, CatalogLayers.Community.Models)).Preload());

    private static readonly Lazy<ModelCatalog> s_seed = new(() => new ModelCatalog(CatalogLayers.Seed));

    /// <summary>The lookups, built once.</summary>
    private sealed class Index
    {
        public Index(IEnumerable<ModelEntry> models)
        {
            // Later entries win: an import or a config file overrides the built-in entry of the same id.
            var byId = new Dictionary<string, ModelEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var m in models)
            {
                byId[m.Id] = m;
            }

            Models = byId.Values.OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal).ToArray();

            var byName = new Dictionary<string, ModelEntry>(StringComparer.OrdinalIgnoreCase);
            var bare = new Dictionary<string, List<ModelEntry>>(StringComparer.OrdinalIgnoreCase);
            foreach (var m in Models)
            {
                byName[Key(m.Provider, m.Model)] = m;
                AddBare(bare, m.Model, m);
            }

            // Aliases never shadow a real model name.
            foreach (var m in Models)
            {
                foreach (var alias in m.Aliases)
                {
                    byName.TryAdd(Key(m.Provider, alias), m);
                    AddBare(bare, alias, m);
                }
            }

            ByProviderAndName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
            ByBareName = bare.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        }

        public ModelEntry[] Models { get; }

        public FrozenDictionary<string, ModelEntry> ByProviderAndName { get; }

        public FrozenDictionary<string, ModelEntry[]> ByBareName { get; }
    }

    private static string Key(string provider, string model) => provider + "/" + model;

    private static void AddBare(Dictionary<string, List<ModelEntry>> bare, string name, ModelEntry entry)
    {
        if (!bare.TryGetValue(name, out var list))
        {
            bare[name] = list = [];
        }

        if (!list.Contains(entry))
        {
            list.Add(entry);
        }
    }
}
