using System.Collections.Frozen;
using System.Text.Json;

namespace Tollgate.Core.Catalog;

/// <summary>
/// Every known model with its prices. Lookups are by <c>provider</c> + model name (or alias), or by a bare
/// model name across providers. Immutable: merging returns a new catalog, so readers never lock.
/// </summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelEntry> _byProviderAndName;
    private readonly FrozenDictionary<string, ModelEntry[]> _byBareName;

    public ModelCatalog(IEnumerable<ModelEntry> models)
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

        _byProviderAndName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byBareName = bare.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>All models, ordered by provider and name.</summary>
    public IReadOnlyList<ModelEntry> Models { get; }

    /// <summary>Finds a provider's model by its name or one of its aliases.</summary>
    public ModelEntry? Find(string provider, string model) =>
        _byProviderAndName.TryGetValue(Key(provider, model), out var entry) ? entry : null;

    /// <summary>Every model, of any provider, whose name or alias is <paramref name="name"/>.</summary>
    public IReadOnlyList<ModelEntry> FindByName(string name) =>
        _byBareName.TryGetValue(name, out var entries) ? entries : [];

    /// <summary>A new catalog with <paramref name="overrides"/> replacing entries of the same id and adding the rest.</summary>
    public ModelCatalog Merge(IEnumerable<ModelEntry> overrides) => new(Models.Concat(overrides));

    /// <summary>The catalog shipped inside Tollgate.</summary>
    public static ModelCatalog BuiltIn => s_builtIn.Value;

    private static readonly Lazy<ModelCatalog> s_builtIn = new(LoadBuiltIn);

    private static ModelCatalog LoadBuiltIn()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("Tollgate.Core.catalog.json")
            ?? throw new InvalidOperationException("The built-in catalog resource is missing.");
        return new ModelCatalog(CatalogFile.Read(stream));
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
