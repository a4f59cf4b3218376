using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Catalog;

namespace Tollgate.Gateway.Configuration;

/// <summary>
/// Reads the <c>models</c> section of <c>tollgate.json</c>: model groups by name, each with a <c>strategy</c>,
/// <c>deployments</c> (<c>provider</c>, <c>model</c>, <c>weight</c>), <c>fallbacks</c>, <c>context_fallbacks</c>,
/// <c>aliases</c>, and for models the catalog lacks <c>prices</c> (the catalog's shape), <c>context_window</c> and
/// <c>max_output</c>. References are checked by <see cref="Validate"/> once every provider is known.
/// </summary>
internal static class ModelsLoader
{
    private static readonly string[] GroupFields =
        ["strategy", "deployments", "fallbacks", "context_fallbacks", "aliases", "prices", "context_window", "max_output"];

    public static IReadOnlyList<ModelGroupSettings> Read(JsonObject section, ConfigReader reader)
    {
        var groups = new List<ModelGroupSettings>(section.Count);
        foreach (var (name, node) in section)
        {
            groups.Add(ReadGroup(name, node, reader));
        }

        return groups;
    }

    /// <summary>
    /// Checks what one group says of others and of providers: every deployment's provider is configured or one
    /// Tollgate knows by name (a known provider without its key is skipped at run time), every fallback names a group,
    /// an alias of one, or <c>provider/model</c>, and no name is taken twice. Cycles of fallbacks are allowed:
    /// a plan visits each group once.
    /// </summary>
    public static void Validate(IReadOnlyList<ModelGroupSettings> groups, Func<string, bool> providerExists, ConfigReader reader)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var g in groups)
        {
            if (!names.TryAdd(g.Name, g.Name))
            {
                throw reader.Error("models." + g.Name, "the name is given twice (names are case-insensitive)");
            }
        }

        foreach (var g in groups)
        {
            for (var i = 0; i < g.Aliases.Count; i++)
            {
                if (!names.TryAdd(g.Aliases[i], g.Name))
                {
                    throw reader.Error($"models.{g.Name}.aliases[{i}]", $"'{g.Aliases[i]}' already names model group '{names[g.Aliases[i]]}'");
                }
            }
        }

        foreach (var g in groups)
        {
            for (var i = 0; i < g.Deployments.Count; i++)
            {
                var provider = g.Deployments[i].Provider;
                if (!providerExists(provider))
                {
                    throw reader.Error($"models.{g.Name}.deployments[{i}].provider", $"unknown provider '{provider}'");
                }
            }

            CheckReferences(g.Fallbacks, $"models.{g.Name}.fallbacks", names, providerExists, reader);
            CheckReferences(g.ContextFallbacks, $"models.{g.Name}.context_fallbacks", names, providerExists, reader);
        }
    }

    private static void CheckReferences(IReadOnlyList<string> references, string field, Dictionary<string, string> names, Func<string, bool> providerExists, ConfigReader reader)
    {
        for (var i = 0; i < references.Count; i++)
        {
            var name = references[i];
            if (names.ContainsKey(name))
            {
                continue;
            }

            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && slash < name.Length - 1 && providerExists(name[..slash]))
            {
                continue;
            }

            throw reader.Error($"{field}[{i}]", $"'{name}' is neither a model group, an alias of one, nor provider/model with a known provider");
        }
    }

    private static ModelGroupSettings ReadGroup(string name, JsonNode? node, ConfigReader reader)
    {
        var field = "models." + name;
        var o = reader.Object(node, field);
        reader.OnlyFields(o, field, GroupFields);
        if (o["deployments"] is null)
        {
            throw reader.Error(field + ".deployments", "is required: at least one { \"provider\": ..., \"model\": ... }");
        }

        var list = reader.Array(o["deployments"], field + ".deployments");
        if (list.Count == 0)
        {
            throw reader.Error(field + ".deployments", "needs at least one deployment");
        }

        var deployments = new DeploymentSettings[list.Count];
        for (var i = 0; i < deployments.Length; i++)
        {
            deployments[i] = ReadDeployment(list[i], $"{field}.deployments[{i}]", reader);
        }

        return new ModelGroupSettings
        {
            Name = name,
            Strategy = o["strategy"] is { } strategy ? ParseStrategy(reader.String(strategy, field + ".strategy"), field + ".strategy", reader) : RoutingStrategyKind.Priority,
            Deployments = deployments,
            Fallbacks = o["fallbacks"] is { } fallbacks ? reader.Strings(fallbacks, field + ".fallbacks") : [],
            ContextFallbacks = o["context_fallbacks"] is { } contextFallbacks ? reader.Strings(contextFallbacks, field + ".context_fallbacks") : [],
            Aliases = o["aliases"] is { } aliases ? reader.Strings(aliases, field + ".aliases") : [],
            Prices = o["prices"] is { } prices ? ReadPrices(prices, field + ".prices", reader) : null,
            ContextWindow = o["context_window"] is { } window ? reader.Long(window, field + ".context_window", 1) : null,
            MaxOutput = o["max_output"] is { } maxOutput ? reader.Long(maxOutput, field + ".max_output", 1) : null,
        };
    }

    private static DeploymentSettings ReadDeployment(JsonNode? node, string field, ConfigReader reader)
    {
        var o = reader.Object(node, field);
        reader.OnlyFields(o, field, "provider", "model", "weight");
        return new DeploymentSettings
        {
            Provider = reader.String(o["provider"], field + ".provider"),
            Model = reader.String(o["model"], field + ".model"),
            Weight = o["weight"] is { } weight ? reader.Int(weight, field + ".weight", 1) : 1,
        };
    }

    private static RoutingStrategyKind ParseStrategy(string value, string field, ConfigReader reader) => value.ToLowerInvariant() switch
    {
        "priority" => RoutingStrategyKind.Priority,
        "weighted" => RoutingStrategyKind.Weighted,
        "least_busy" => RoutingStrategyKind.LeastBusy,
        "latency" => RoutingStrategyKind.Latency,
        "cost" => RoutingStrategyKind.Cost,
        "free_first" => RoutingStrategyKind.FreeFirst,
        _ => throw reader.Error(field, $"unknown strategy '{value}' (known: priority, weighted, least_busy, latency, cost, free_first)"),
    };

    /// <summary>
    /// Reads prices with the catalog's own reader (wrapping them as a one-entry catalog), so the field names and
    /// their meaning are the catalog's and the amounts are read as exact decimals.
    /// </summary>
    private static ModelPrices ReadPrices(JsonNode node, string field, ConfigReader reader)
    {
        reader.Object(node, field);
        var document = new JsonObject
        {
            ["models"] = new JsonArray(new JsonObject { ["provider"] = "config", ["model"] = "config", ["prices"] = node.DeepClone() }),
        };

        ModelPrices prices;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
            prices = CatalogFile.Read(stream)[0].Prices;
        }
        catch (JsonException ex)
        {
            const string Prefix = "$.models[0].prices";
            var at = ex.Path is { } path && path.StartsWith(Prefix, StringComparison.Ordinal) ? field + path[Prefix.Length..] : field;
            throw reader.Error(at, "not a valid price (prices are numbers in USD per 1M tokens)");
        }

        if (prices.Input < 0 || prices.Output < 0 || prices.CachedInput < 0 || prices.CacheWrite5m < 0 || prices.CacheWrite1h < 0
            || prices.InputAudio < 0 || prices.OutputAudio < 0)
        {
            throw reader.Error(field, "prices must not be negative");
        }

        return prices;
    }
}
