using System.Globalization;
using System.Text.Json;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Cli;

/// <summary>The <c>tollgate</c> command: serve, emulate, models, cost, catalog, keys, usage.</summary>
internal static class CliApp
{
    private const string Usage = """
        Tollgate: one OpenAI-compatible API in front of every LLM provider, with exact cost per request.

        Usage:
          tollgate serve [--port N | --urls URL] [--config tollgate.json] [--log-format text|json] [--log-requests]
          tollgate emulate [--port N | --urls URL] [--recordings DIR] [--fail-next N] [--fault KIND] ...   ('tollgate emulate --help')
          tollgate models [--provider P] [--mode M] [--sort name|input|output|context] [--json]
          tollgate cost --model M [--input N] [--cached N] [--cache-write N] [--output N] [--reasoning N] [--images N ...] [--tier T] [--json]
          tollgate catalog import FILE [--date YYYY-MM-DD] | tollgate catalog update FILE-or-URL [--dry-run] [--json] | tollgate catalog sources
          tollgate keys create|list|update|delete ...   (virtual keys; 'tollgate keys' for the options)
          tollgate usage [--from DATE] [--to DATE] [--group-by key|model|provider|day] [--key PREFIX] [--json]
          tollgate db migrate|status [--database-url URL]   (PostgreSQL schema versions)
          tollgate COMMAND --help                       (a command's own options)
        """;

    /// <summary>Each command's usage, printed by <c>tollgate COMMAND --help</c> (exit 0, nothing else done).</summary>
    private static readonly Dictionary<string, string> s_commandUsage = new(StringComparer.Ordinal)
    {
        ["serve"] = """
            Usage: tollgate serve [--port N | --urls URL] [--config FILE] [--log-format text|json] [--log-requests]
            Runs the gateway. With no provider key set it serves the built-in demo provider.
              --port N             listen on http://127.0.0.1:N (default 4000)
              --urls URL           listen on URL, e.g. http://0.0.0.0:4000
              --config FILE        a tollgate.json (default: ./tollgate.json when it exists)
              --log-format F       text (default) or json: one JSON object per line, for log shippers
                                   (also TOLLGATE_LOG_FORMAT, or "log_format" in tollgate.json)
              --log-requests       one log line per request (id, key id, model, provider, status, latency, cost)
                                   (also TOLLGATE_LOG_REQUESTS=1, or "log_requests": true)
            """,
        ["emulate"] = EmulateCommand.Usage,
        ["models"] = """
            Usage: tollgate models [--provider P] [--mode M] [--sort name|input|output|context] [--json] [--data-dir DIR]
            Lists the catalog: the seed-priced models over LiteLLM's community price file, each with its source.
            Limits print as whole token counts (128,000); prices in USD per 1M tokens, unit prices in USD.
              --provider P  only provider P's models (openai, groq, ...)
              --mode M      only models of mode M (chat, embedding, image, audio, ...)
              --sort S      by name (default), input or output price, or context length (largest first)
              --json        the same JSON document as GET /v1/models (every model, not only enabled providers')
              --data-dir D  the data directory whose catalog.local.json is merged in (default TOLLGATE_DATA_DIR or ./data)
            """,
        ["cost"] = CostCommand.Usage,
        ["catalog"] = CatalogCommand.Usage,
        ["keys"] = KeysCommand.KeysUsage,
        ["usage"] = KeysCommand.UsageUsage,
        ["db"] = DbCommand.DbUsage,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            output.WriteLine(Usage);
            output.WriteLine(EnvironmentHelp());
            return args.Length == 0 ? 2 : 0;
        }

        // --help anywhere after a command prints that command's usage and does nothing else.
        if (s_commandUsage.TryGetValue(args[0], out var commandUsage) && Array.Exists(args, a => a is "--help" or "-h"))
        {
            output.WriteLine(commandUsage);
            return 0;
        }

        try
        {
            var rest = args[1..];
            return args[0] switch
            {
                "serve" => await ServeCommand.RunAsync(rest, output).ConfigureAwait(false),
                "emulate" => await EmulateCommand.RunAsync(rest, output).ConfigureAwait(false),
                "models" => Models(rest, output),
                "cost" => CostCommand.Run(rest, output),
                "catalog" => await CatalogCommand.RunAsync(rest, output, error).ConfigureAwait(false),
                "keys" => await KeysCommand.RunKeysAsync(rest, output).ConfigureAwait(false),
                "usage" => await KeysCommand.RunUsageAsync(rest, output).ConfigureAwait(false),
                "db" => await DbCommand.RunAsync(rest, output).ConfigureAwait(false),
                "--version" or "version" => Version(output),
                _ => throw new CliException($"Unknown command '{args[0]}'. Run 'tollgate --help'."),
            };
        }
        catch (CliException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 1;
        }
        catch (System.Data.Common.DbException ex)
        {
            error.WriteLine("error: the database refused or could not be reached: " + ex.Message);
            return 1;
        }
    }

    /// <summary>The environment section of <c>tollgate --help</c>, with every provider Tollgate knows by name.</summary>
    private static string EnvironmentHelp()
    {
        var lines = new System.Text.StringBuilder();
        lines.AppendLine("Environment:");
        lines.AppendLine("  TOLLGATE_MASTER_KEY     the management key (otherwise generated into the data directory)");
        lines.AppendLine("  TOLLGATE_DATA_DIR       database, master key and local catalog (default ./data)");
        lines.AppendLine("  TOLLGATE_DATABASE_URL   PostgreSQL for the ledger and keys (default: SQLite in the data directory)");
        lines.AppendLine("  TOLLGATE_REDIS_URL      Redis for limits and budgets shared by several instances (default: in memory)");
        lines.AppendLine("  TOLLGATE_DEMO=1         serve the demo provider even when real providers are configured");
        lines.AppendLine("  TOLLGATE_LOG_FORMAT     text (default) or json (one JSON object per line)");
        lines.AppendLine("  TOLLGATE_LOG_REQUESTS=1 one log line per request (id, key id, model, provider, status, latency, cost)");
        lines.AppendLine("  Providers, each switched on by its key (Ollama by its base URL), *_BASE_URL optional:");
        foreach (var p in KnownProviders.All)
        {
            var dialect = p.Dialect == UpstreamDialect.OpenAI ? "" : $" ({p.Dialect} API, translated)";
            var line = p.KeyRequired
                ? $"    {p.EnvPrefix + "_API_KEY",-22} {p.EnvPrefix}_BASE_URL{(p.DefaultBaseUrl is { } url ? " (default " + url + ")" : "")}{dialect}"
                : $"    {p.EnvPrefix + "_BASE_URL",-22} {p.EnvPrefix}_API_KEY (optional){dialect}";
            lines.AppendLine(line);
        }

        return lines.ToString().TrimEnd();
    }

    private static int Version(TextWriter output)
    {
        output.WriteLine("tollgate " + typeof(CliApp).Assembly.GetName().Version);
        return 0;
    }

    /// <summary>The catalog the gateway would load: built in, plus the data directory's catalog.local.json.</summary>
    internal static ModelCatalog Catalog(CliArgs a) =>
        GatewayHost.LoadCatalog(a.Get("data-dir") ?? (Environment.GetEnvironmentVariable("TOLLGATE_DATA_DIR") is { Length: > 0 } d ? d : "data"));

    private static int Models(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, "models", new HashSet<string> { "json" }, new HashSet<string> { "provider", "mode", "sort", "data-dir" });
        if (a.Positional.Count > 0)
        {
            throw new CliException($"'tollgate models' takes no arguments, not '{a.Positional[0]}'. 'tollgate models --help' lists its options.");
        }

        var models = Catalog(a).Models.AsEnumerable();
        if (a.Get("provider") is { } provider)
        {
            models = models.Where(m => m.Provider.Equals(provider, StringComparison.OrdinalIgnoreCase));
        }

        if (a.Get("mode") is { } mode)
        {
            models = models.Where(m => m.Mode.Equals(mode, StringComparison.OrdinalIgnoreCase));
        }

        models = a.Get("sort") switch
        {
            null or "name" => models,
            "input" => models.OrderBy(m => m.Prices.Input),
            "output" => models.OrderBy(m => m.Prices.Output),
            "context" => models.OrderByDescending(m => m.ContextWindow ?? 0),
            var s => throw new CliException($"--sort must be name, input, output or context, not '{s}'."),
        };

        var list = models.ToList();
        if (a.Has("json"))
        {
            KeysCommand.WriteJson(output, w => ModelJson.WriteList(w, list));
            return 0;
        }

        var table = new TextTable("MODEL", "MODE", "CONTEXT", "MAX OUT", "INPUT $/1M", "CACHED $/1M", "OUTPUT $/1M", "OTHER", "SOURCE").RightAlign(2, 3, 4, 5, 6);
        foreach (var m in list)
        {
            table.Add(m.Id, m.Mode, Tokens(m.ContextWindow), Tokens(m.MaxOutput), Format.Price(m.Prices.Input), Format.Price(m.Prices.CachedInput), Format.Price(m.Prices.Output), Other(m.Prices), Source(m.Source));
        }

        table.Write(output);
        output.WriteLine($"{list.Count} models. Limits in tokens; OTHER: unit prices in USD ('tollgate models --json' has every price).");
        return 0;
    }

    /// <summary>A short mention of the prices that are not per token, e.g. <c>$0.04/image</c>.</summary>
    private static string Other(ModelPrices p)
    {
        if (p.Units is not { } u)
        {
            return "";
        }

        var parts = new List<string>();
        if (u.Image is { } image)
        {
            parts.Add($"${Format.Price(image)}/image");
        }
        else if (u.Images is { Count: > 0 } images)
        {
            parts.Add($"${Format.Price(images.Min(i => i.Price))}-{Format.Price(images.Max(i => i.Price))}/image");
        }

        Add(parts, u.InputCharacter, "char");
        Add(parts, u.InputAudioSecond, "audio s");
        Add(parts, u.OutputSecond, "output s");
        Add(parts, u.Query, "query");
        Add(parts, u.Request, "request");
        if (u.WebSearch is { } search)
        {
            parts.Add($"${Format.Price(search.Medium)}/search");
        }

        return string.Join(" ", parts);

        static void Add(List<string> parts, decimal? price, string unit)
        {
            if (price is { } v)
            {
                parts.Add($"${Format.Price(v)}/{unit}");
            }
        }
    }

    private static string Source(CatalogSource? source) =>
        source is null ? "-" : source.Date is { } date ? $"{source.File} {date}" : source.File ?? "-";

    /// <summary>
    /// A model by <c>provider/model</c> or a bare name. The catalog names many models under several providers (Azure,
    /// Bedrock and resellers repeat OpenAI's and Anthropic's names), so a bare name first looks among the providers
    /// Tollgate switches on by name: <c>gpt-4o</c> is openai's, not azure's.
    /// </summary>
    internal static ModelEntry FindModel(ModelCatalog catalog, string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && catalog.Find(name[..slash], name[(slash + 1)..]) is { } exact)
        {
            return exact;
        }

        var all = catalog.FindByName(name);
        var known = all.Where(m => m.Provider == "demo" || Array.Exists(KnownProviders.All, k => k.Id == m.Provider)).ToList();
        var matches = known.Count > 0 ? known : all;
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException($"Unknown model '{name}'. 'tollgate models' lists the catalog."),
            _ => throw new CliException($"'{name}' is ambiguous: {string.Join(", ", matches.Select(m => m.Id))}. Name one as provider/model."),
        };
    }

    /// <summary>A token limit in one format everywhere: the whole number with thousands separators (128,000; 131,072).</summary>
    private static string Tokens(long? n) => n is { } v ? Format.Count(v) : "-";

}
