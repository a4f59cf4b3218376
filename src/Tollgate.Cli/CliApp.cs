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
          tollgate serve [--port N | --urls URL] [--config tollgate.json]
          tollgate emulate [--port N | --urls URL]
          tollgate models [--provider P] [--sort input|output|context] [--json]
          tollgate cost --model M --input N [--cached N] [--cache-write N] [--cache-write-1h N] --output N [--tier batch|flex|priority] [--json]
          tollgate catalog import FILE [--date YYYY-MM-DD]
          tollgate keys create|list|update|delete ...   (virtual keys; 'tollgate keys' for the options)
          tollgate usage [--from DATE] [--to DATE] [--group-by key|model|provider|day] [--key PREFIX] [--json]
          tollgate db migrate|status [--database-url URL]   (PostgreSQL schema versions)

        Environment: TOLLGATE_MASTER_KEY, TOLLGATE_DATA_DIR (default ./data), TOLLGATE_DATABASE_URL (PostgreSQL),
        TOLLGATE_REDIS_URL (Redis: limits and budgets shared by several instances), OPENAI_API_KEY / OPENAI_BASE_URL,
        GROQ_*, DEEPSEEK_*, MISTRAL_*, MOONSHOT_*, ZHIPU_*, XAI_*, OPENROUTER_*, TOGETHER_*, OLLAMA_BASE_URL.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            output.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var rest = args[1..];
            return args[0] switch
            {
                "serve" => await ServeCommand.RunAsync(rest, output).ConfigureAwait(false),
                "emulate" => await ServeCommand.EmulateAsync(rest).ConfigureAwait(false),
                "models" => Models(rest, output),
                "cost" => Cost(rest, output),
                "catalog" => CatalogCommand.Run(rest, output),
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

    private static int Version(TextWriter output)
    {
        output.WriteLine("tollgate " + typeof(CliApp).Assembly.GetName().Version);
        return 0;
    }

    internal static ModelCatalog Catalog() =>
        GatewayHost.LoadCatalog(Environment.GetEnvironmentVariable("TOLLGATE_DATA_DIR") is { Length: > 0 } d ? d : "data");

    private static int Models(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, new HashSet<string> { "json" });
        var models = Catalog().Models.AsEnumerable();
        if (a.Get("provider") is { } provider)
        {
            models = models.Where(m => m.Provider.Equals(provider, StringComparison.OrdinalIgnoreCase));
        }

        models = a.Get("sort") switch
        {
            null or "name" => models,
            "input" => models.OrderBy(m => m.Prices.Input),
            "output" => models.OrderBy(m => m.Prices.Output),
            "context" => models.OrderByDescending(m => m.ContextWindow ?? 0),
            var s => throw new CliException($"--sort must be input, output or context, not '{s}'."),
        };

        var list = models.ToList();
        if (a.Has("json"))
        {
            using var stream = Console.OpenStandardOutput();
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartArray();
            foreach (var m in list)
            {
                w.WriteStartObject();
                w.WriteString("id", m.Id);
                w.WriteString("provider", m.Provider);
                w.WriteString("model", m.Model);
                w.WriteString("mode", m.Mode);
                if (m.ContextWindow is { } cw)
                {
                    w.WriteNumber("context_window", cw);
                }

                if (m.MaxOutput is { } mo)
                {
                    w.WriteNumber("max_output", mo);
                }

                w.WriteNumber("input", m.Prices.Input);
                if (m.Prices.CachedInput is { } ci)
                {
                    w.WriteNumber("cached_input", ci);
                }

                w.WriteNumber("output", m.Prices.Output);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.Flush();
            stream.WriteByte((byte)'\n');
            return 0;
        }

        var table = new TextTable("MODEL", "MODE", "CONTEXT", "MAX OUT", "INPUT $/1M", "CACHED $/1M", "OUTPUT $/1M").RightAlign(2, 3, 4, 5, 6);
        foreach (var m in list)
        {
            table.Add(m.Id, m.Mode, Tokens(m.ContextWindow), Tokens(m.MaxOutput), Price(m.Prices.Input), Price(m.Prices.CachedInput), Price(m.Prices.Output));
        }

        table.Write(output);
        output.WriteLine($"{list.Count} models");
        return 0;
    }

    private static int Cost(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, new HashSet<string> { "json" });
        var name = a.Get("model") ?? throw new CliException("--model is required (e.g. --model gpt-4o or openai/gpt-4o).");
        var model = FindModel(Catalog(), name);
        var input = a.GetCount("input") ?? throw new CliException("--input is required: all prompt tokens, cached ones included.");
        var cached = a.GetCount("cached") ?? 0;
        var write5m = a.GetCount("cache-write") ?? 0;
        var write1h = a.GetCount("cache-write-1h") ?? 0;
        var outputTokens = a.GetCount("output") ?? throw new CliException("--output is required.");
        if (cached + write5m + write1h > input)
        {
            throw new CliException($"--cached + --cache-write + --cache-write-1h ({cached + write5m + write1h}) cannot exceed --input ({input}), which counts all prompt tokens.");
        }

        var tier = a.Get("tier") switch
        {
            null or "standard" => ServiceTier.Standard,
            "batch" => ServiceTier.Batch,
            "flex" => ServiceTier.Flex,
            "priority" => ServiceTier.Priority,
            var t => throw new CliException($"--tier must be batch, flex or priority, not '{t}'."),
        };
        if (!CostCalculator.Offers(model, tier))
        {
            throw new CliException($"{model.Id} has no {tier.ToString().ToLowerInvariant()} prices.");
        }

        var usage = new TokenUsage
        {
            InputTokens = input - cached - write5m - write1h,
            CacheReadTokens = cached,
            CacheWrite5mTokens = write5m,
            CacheWrite1hTokens = write1h,
            OutputTokens = outputTokens,
        };
        var cost = CostCalculator.Calculate(model, usage, tier);
        if (a.Has("json"))
        {
            using var stream = Console.OpenStandardOutput();
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("model", model.Id);
            w.WriteString("tier", tier.ToString().ToLowerInvariant());
            w.WriteBoolean("long_context", cost.LongContext);
            w.WriteNumber("cost", Money.Normalize(cost.Total));
            w.WriteStartObject("breakdown");
            w.WriteNumber("input", Money.Normalize(cost.Input));
            w.WriteNumber("cache_read", Money.Normalize(cost.CacheRead));
            w.WriteNumber("cache_write", Money.Normalize(cost.CacheWrite));
            w.WriteNumber("output", Money.Normalize(cost.Output));
            w.WriteEndObject();
            w.WriteStartObject("tokens");
            w.WriteNumber("input", usage.InputTokens);
            w.WriteNumber("cache_read", usage.CacheReadTokens);
            w.WriteNumber("cache_write_5m", usage.CacheWrite5mTokens);
            w.WriteNumber("cache_write_1h", usage.CacheWrite1hTokens);
            w.WriteNumber("output", usage.OutputTokens);
            w.WriteEndObject();
            w.WriteEndObject();
            w.Flush();
            stream.WriteByte((byte)'\n');
            return 0;
        }

        output.WriteLine($"{model.Id} ({tier.ToString().ToLowerInvariant()}{(cost.LongContext ? ", long context" : "")})");
        var table = new TextTable("PART", "TOKENS", "USD").RightAlign(1, 2);
        table.Add("input", Count(usage.InputTokens), Usd(cost.Input));
        table.Add("cache read", Count(usage.CacheReadTokens), Usd(cost.CacheRead));
        table.Add("cache write", Count(usage.CacheWrite5mTokens + usage.CacheWrite1hTokens), Usd(cost.CacheWrite));
        table.Add("output", Count(usage.OutputTokens), Usd(cost.Output));
        table.Add("total", Count(usage.TotalTokens), Usd(cost.Total));
        table.Write(output);
        return 0;
    }

    internal static ModelEntry FindModel(ModelCatalog catalog, string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && catalog.Find(name[..slash], name[(slash + 1)..]) is { } exact)
        {
            return exact;
        }

        var matches = catalog.FindByName(name);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException($"Unknown model '{name}'. 'tollgate models' lists the catalog."),
            _ => throw new CliException($"'{name}' is ambiguous: {string.Join(", ", matches.Select(m => m.Id))}. Name one as provider/model."),
        };
    }

    private static string Tokens(long? n) => n is { } v ? (v >= 1_000_000 && v % 1_000_000 == 0 ? $"{v / 1_000_000}M" : v >= 1000 && v % 1000 == 0 ? $"{v / 1000}K" : v.ToString(CultureInfo.InvariantCulture)) : "-";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Price(decimal? p) => p is { } v ? Money.Normalize(v).ToString(CultureInfo.InvariantCulture) : "-";

    private static string Usd(decimal v) => "$" + Money.Normalize(v).ToString(CultureInfo.InvariantCulture);
}
