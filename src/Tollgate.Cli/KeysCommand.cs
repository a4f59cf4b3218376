using System.Globalization;
using System.Text.Json;
using Tollgate.Core.Pricing;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Cli;

/// <summary>
/// <c>tollgate keys create|list|update|delete</c> and <c>tollgate usage</c>. They work on the database directly (the
/// SQLite file in the data directory, or PostgreSQL when TOLLGATE_DATABASE_URL is set), so they need no running gateway
/// and no master key (access to the database is the permission); running gateways notice key changes within two
/// seconds, or at once on PostgreSQL.
/// </summary>
internal static class KeysCommand
{
    internal const string KeysUsage = """
        Usage: tollgate keys create|list|update|delete ...
          tollgate keys create [--name N] [--budget USD --retention day|week|month|no_reset] [--rpm N] [--tpm N]
                               [--max-parallel N] [--models 'groq/*,openai/gpt-4o*'] [--scopes model:chat,model:embedding]
                               [--expires 2026-12-31T00:00:00Z] [--meta team=search,owner=ana] [--clamp on|off]
                               [--clamp-min-output N] [--json]
          tollgate keys list [--json]
          tollgate keys update PREFIX [the create options; 'none' clears a limit] [--disable | --enable]
          tollgate keys delete PREFIX
        A budget needs its period: --retention day, week or month (spend resets at the start of each UTC period)
        or no_reset (a lifetime budget). Tollgate does not pick one for you. --clamp off refuses a request whose worst
        case the budget cannot cover instead of lowering its output limit; --clamp-min-output N ('none': 1024) is the
        fewest output tokens a clamp may leave (docs/KEYS.md).
        Options: --data-dir DIR (default: TOLLGATE_DATA_DIR, data_dir in tollgate.json, or ./data), or --database-url URL
        (default: TOLLGATE_DATABASE_URL or database_url in tollgate.json) for PostgreSQL; --config FILE (default: ./tollgate.json)
        """;

    internal const string UsageUsage = """
        Usage: tollgate usage [--from DATE] [--to DATE] [--group-by key|model|provider|day] [--key PREFIX] [--json] [--data-dir DIR]
                              [--database-url URL] [--config FILE]
        Spend summed from the ledger; --from defaults to the start of this UTC month. The ledger is the gateway's: the
        same variables and tollgate.json (database_url, data_dir) as tollgate serve.
        """;

    private static readonly HashSet<string> s_keyOptions = new(StringComparer.Ordinal)
    {
        "name", "budget", "retention", "clamp", "clamp-min-output", "rpm", "tpm", "max-parallel", "models", "scopes", "expires", "meta", "data-dir", "database-url", "config",
    };

    public static async Task<int> RunKeysAsync(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, "keys", new HashSet<string> { "json", "disable", "enable" }, s_keyOptions);
        if (a.Positional.Count == 0)
        {
            throw new CliException(KeysUsage);
        }

        await using var storage = await CliStorage.OpenAsync(a).ConfigureAwait(false);
        var store = storage.Keys;
        var service = new KeyService(store, TimeProvider.System);
        switch (a.Positional[0])
        {
            case "create" when a.Positional.Count == 1:
            {
                RequireRetention(a, existingBudget: false);
                var (key, secret) = await service.CreateAsync(Edits(a)).ConfigureAwait(false);
                if (a.Has("json"))
                {
                    WriteJson(output, w => KeyJson.Write(w, key, 0m, secret));
                    return 0;
                }

                output.WriteLine($"Created key {key.Prefix} (shown only now; Tollgate keeps only its hash):");
                output.WriteLine($"  {secret}");
                output.WriteLine();
                WriteTable(output, [key], new Dictionary<string, decimal>());
                return 0;
            }

            case "list" when a.Positional.Count == 1:
            {
                var keys = await store.ListAsync().ConfigureAwait(false);
                var usage = await MonthlyUsageAsync(storage.Ledger).ConfigureAwait(false);
                if (a.Has("json"))
                {
                    WriteJson(output, w =>
                    {
                        w.WriteStartArray();
                        foreach (var k in keys)
                        {
                            KeyJson.Write(w, k, usage.GetValueOrDefault(k.Prefix));
                        }

                        w.WriteEndArray();
                    });
                    return 0;
                }

                WriteTable(output, keys, usage);
                output.WriteLine($"{keys.Count} keys");
                return 0;
            }

            case "update" when a.Positional.Count == 2:
            {
                var existing = await store.FindAsync(a.Positional[1]).ConfigureAwait(false);
                RequireRetention(a, existingBudget: existing?.Threshold is not null);
                var key = await service.UpdateAsync(a.Positional[1], Edits(a)).ConfigureAwait(false)
                    ?? throw new CliException($"No key has the prefix '{a.Positional[1]}'. 'tollgate keys list' shows the keys.");
                WriteTable(output, [key], await MonthlyUsageAsync(storage.Ledger).ConfigureAwait(false));
                return 0;
            }

            case "delete" when a.Positional.Count == 2:
                if (!await service.DeleteAsync(a.Positional[1]).ConfigureAwait(false))
                {
                    throw new CliException($"No key has the prefix '{a.Positional[1]}'. 'tollgate keys list' shows the keys.");
                }

                output.WriteLine($"Deleted key {a.Positional[1]}.");
                return 0;
            default:
                throw new CliException(KeysUsage);
        }
    }

    public static async Task<int> RunUsageAsync(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, "usage", new HashSet<string> { "json" }, new HashSet<string> { "from", "to", "group-by", "key", "data-dir", "database-url", "config" });
        var groupBy = a.Get("group-by") switch
        {
            null or "key" => UsageGroup.Key,
            "model" => UsageGroup.Model,
            "provider" => UsageGroup.Provider,
            "day" => UsageGroup.Day,
            var g => throw new CliException($"--group-by must be key, model, provider or day, not '{g}'."),
        };
        var now = DateTimeOffset.UtcNow;
        var from = Date(a, "from") ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var to = Date(a, "to");
        IReadOnlyList<UsageRow> rows;
        await using (var storage = await CliStorage.OpenAsync(a).ConfigureAwait(false))
        {
            rows = await storage.Ledger.SummarizeAsync(new UsageQuery { From = from, To = to, KeyId = a.Get("key"), GroupBy = groupBy }).ConfigureAwait(false);
        }

        if (a.Has("json"))
        {
            WriteJson(output, w =>
            {
                w.WriteStartArray();
                foreach (var r in rows)
                {
                    w.WriteStartObject();
                    w.WriteString(groupBy.ToString().ToLowerInvariant(), r.Group);
                    w.WriteNumber("requests", r.Requests);
                    w.WriteNumber("failed_requests", r.FailedRequests);
                    w.WriteNumber("input_tokens", r.InputTokens);
                    w.WriteNumber("cache_read_tokens", r.CacheReadTokens);
                    w.WriteNumber("cache_write_tokens", r.CacheWriteTokens);
                    w.WriteNumber("output_tokens", r.OutputTokens);
                    w.WriteNumber("reasoning_tokens", r.ReasoningTokens);
                    w.WriteNumber("cost", Money.Normalize(r.Cost));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return 0;
        }

        output.WriteLine($"Usage from {from.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(to is { } t ? $" to {t.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : " to now")}");
        var table = new TextTable(groupBy.ToString().ToUpperInvariant(), "REQUESTS", "FAILED", "INPUT", "CACHE READ", "CACHE WRITE", "OUTPUT", "REASONING", "USD").RightAlign(1, 2, 3, 4, 5, 6, 7, 8);
        var total = new UsageRow();
        foreach (var r in rows)
        {
            table.Add(r.Group ?? (groupBy == UsageGroup.Key ? "(master)" : "-"), Format.Count(r.Requests), Format.Count(r.FailedRequests), Format.Count(r.InputTokens), Format.Count(r.CacheReadTokens), Format.Count(r.CacheWriteTokens), Format.Count(r.OutputTokens), Format.Count(r.ReasoningTokens), Format.Usd(r.Cost));
            total = Tollgate.Gateway.Billing.UsageEndpoint.Add(total, r);
        }

        table.Add("total", Format.Count(total.Requests), Format.Count(total.FailedRequests), Format.Count(total.InputTokens), Format.Count(total.CacheReadTokens), Format.Count(total.CacheWriteTokens), Format.Count(total.OutputTokens), Format.Count(total.ReasoningTokens), Format.Usd(total.Cost));
        table.Write(output);
        return 0;
    }

    /// <summary>
    /// A new budget must say its period: <c>--budget 5</c> alone could mean $5 a month or $5 for the key's whole life,
    /// and picking either silently surprises someone. A key that already has a budget keeps its period when only the
    /// amount changes.
    /// </summary>
    private static void RequireRetention(CliArgs a, bool existingBudget)
    {
        if (a.Get("budget") is { } budget && budget != "none" && !a.Has("retention") && !existingBudget)
        {
            throw new CliException(
                $"--budget {budget} needs --retention: day, week or month (spend resets at the start of each UTC period) or no_reset (a lifetime budget), e.g. --budget {budget} --retention month.");
        }
    }

    /// <summary>Turns the options into the same JSON the API takes, so both paths validate alike.</summary>
    private static KeyEdits Edits(CliArgs a)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (a.Get("name") is { } name)
            {
                w.WriteString("name", name);
            }

            if (a.Has("disable") || a.Has("enable"))
            {
                w.WriteBoolean("disabled", a.Has("disable"));
            }

            if (a.Get("budget") is not null || a.Get("retention") is not null || a.Get("clamp") is not null || a.Get("clamp-min-output") is not null)
            {
                w.WriteStartObject("limit");
                if (a.Get("clamp") is { } clamp)
                {
                    w.WriteBoolean("clamp", clamp is "on" ? true : clamp is "off" ? false : throw new CliException($"--clamp must be on or off, not '{clamp}'."));
                }

                Count(w, a, "clamp-min-output", "clamp_min_output");
                if (a.Get("retention") is { } retention)
                {
                    w.WriteString("retention", retention);
                }

                if (a.Get("budget") is { } b)
                {
                    if (b is "none")
                    {
                        w.WriteNull("threshold");
                    }
                    else
                    {
                        w.WriteNumber("threshold", decimal.TryParse(b.TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var usd) ? usd : throw new CliException($"--budget must be a USD amount or 'none', not '{b}'."));
                    }
                }

                w.WriteEndObject();
            }

            Count(w, a, "rpm", "rpm");
            Count(w, a, "tpm", "tpm");
            Count(w, a, "max-parallel", "max_parallel");
            List(w, a, "models", "allowed_models");
            List(w, a, "scopes", "scopes");
            if (a.Get("expires") is { } expires)
            {
                if (expires is "none")
                {
                    w.WriteNull("expires_at");
                }
                else
                {
                    w.WriteString("expires_at", expires);
                }
            }

            if (a.Get("meta") is { } meta)
            {
                w.WriteStartObject("metadata");
                foreach (var pair in meta.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new CliException($"--meta takes key=value pairs separated by commas, not '{pair}'.");
                    }

                    w.WriteString(pair[..eq], pair[(eq + 1)..]);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return KeyEdits.Parse(buffer.ToArray(), out var error) ?? throw new CliException(error!.Message.Replace("'", "", StringComparison.Ordinal));
    }

    private static void Count(Utf8JsonWriter w, CliArgs a, string option, string field)
    {
        if (a.Get(option) is not { } raw)
        {
            return;
        }

        if (raw is "none")
        {
            w.WriteNull(field);
        }
        else if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            w.WriteNumber(field, n);
        }
        else
        {
            throw new CliException($"--{option} must be a positive whole number or 'none', not '{raw}'.");
        }
    }

    private static void List(Utf8JsonWriter w, CliArgs a, string option, string field)
    {
        if (a.Get(option) is not { } raw)
        {
            return;
        }

        w.WriteStartArray(field);
        foreach (var item in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item != "none")
            {
                w.WriteStringValue(item);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<VirtualKey> keys, Dictionary<string, decimal> usage)
    {
        var now = DateTimeOffset.UtcNow;
        var table = new TextTable("PREFIX", "NAME", "STATUS", "BUDGET", "PER", "MONTH USD", "RPM", "TPM", "PARALLEL", "MODELS", "SCOPES", "EXPIRES").RightAlign(3, 5, 6, 7, 8);
        foreach (var k in keys)
        {
            var status = k.DeletedAt is not null ? "deleted" : k.Disabled ? "disabled" : k.ExpiresAt <= now ? "expired" : "active";
            table.Add(
                k.Prefix,
                k.Name ?? "-",
                status,
                k.Threshold is { } t ? Format.Usd(t) : "-",
                k.Threshold is null ? "-" : k.Retention,
                Format.Usd(usage.GetValueOrDefault(k.Prefix)),
                k.Rpm?.ToString(CultureInfo.InvariantCulture) ?? "-",
                k.Tpm?.ToString(CultureInfo.InvariantCulture) ?? "-",
                k.MaxParallel?.ToString(CultureInfo.InvariantCulture) ?? "-",
                k.AllowedModels.Count == 0 ? "all" : string.Join(",", k.AllowedModels),
                k.Scopes.Count == 0 ? "all" : string.Join(",", k.Scopes),
                k.ExpiresAt is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-");
        }

        table.Write(output);
    }

    private static async Task<Dictionary<string, decimal>> MonthlyUsageAsync(ILedger ledger)
    {
        var rows = await ledger.SummarizeAsync(new UsageQuery { From = BudgetPeriod.Start(KeyRetention.Month, DateTimeOffset.UtcNow), GroupBy = UsageGroup.Key }).ConfigureAwait(false);
        return rows.Where(r => r.Group is not null).ToDictionary(r => r.Group!, r => r.Cost, StringComparer.Ordinal);
    }

    private static DateTimeOffset? Date(CliArgs a, string name) =>
        a.Get(name) is not { } raw ? null
        : DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v.ToUniversalTime()
        : throw new CliException($"--{name} must be a date (2026-11-01) or date-time, not '{raw}'.");

    /// <summary>Writes indented JSON to <paramref name="output"/>, followed by a new line.</summary>
    internal static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(w);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

}
