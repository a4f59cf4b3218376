using System.Globalization;
using System.Text.RegularExpressions;
using Tollgate.Core.Catalog;

namespace Tollgate.Core.Tests.Catalog;

/// <summary>
/// The built-in catalog checked against the seed documents it was built from. Where a seed's table is
/// regular enough it is parsed here; the rest of the research log is covered by data rows whose phrase
/// and price are themselves checked against the seed text, so a row cannot drift from its source.
/// </summary>
public sealed partial class CatalogSeedTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Seed;

    // ---------------- Seed 002: the January 2025 per-1K table ----------------

    [Fact]
    public void Seed002_EveryRow_IsInCatalogAtItsPriceTimes1000OrOverriddenByNewerSeed()
    {
        var text = SeedFiles.Read(SeedFiles.OpenAiPer1KTable);
        Assert.Contains("The data is updated to January 8, 2025.", text, StringComparison.Ordinal);

        var rows = ParsePer1KTable(text);
        Assert.True(rows.Count >= 30, $"only {rows.Count} rows parsed");

        var compared = 0;
        var failures = new List<string>();
        foreach (var row in rows)
        {
            var entry = Catalog.Find("openai", row.Model);
            if (entry is null)
            {
                failures.Add($"{row.Model}: not in the catalog");
                continue;
            }

            if (entry.Source?.File != SeedFiles.OpenAiPer1KTable)
            {
                // A newer page wins; the entry must say so.
                if (entry.Source?.File != SeedFiles.ResearchLog || string.CompareOrdinal(entry.Source.Date, "2025-01") <= 0)
                {
                    failures.Add($"{row.Model}: differs in source ({entry.Source?.File} {entry.Source?.Date}) without a newer seed");
                }

                continue;
            }

            Assert.Equal("2025-01", entry.Source.Date);
            compared++;
            foreach (var (field, per1K) in row.Prices)
            {
                var expected = per1K * 1000m;
                var actual = PriceField.Get(entry, field);
                if (actual != expected)
                {
                    failures.Add($"{row.Model} {field}: catalog {actual}, seed {per1K}/1K = {expected}/1M");
                }
            }
        }

        Assert.Empty(failures);
        Assert.True(compared >= 4, $"only {compared} rows compared directly");
    }

    [Fact]
    public void Seed002_EntriesFromIt_AreAllRowsOfItsTable()
    {
        var rows = ParsePer1KTable(SeedFiles.Read(SeedFiles.OpenAiPer1KTable)).Select(r => r.Model).ToHashSet(StringComparer.Ordinal);
        var fromSeed = Catalog.Models.Where(m => m.Source?.File == SeedFiles.OpenAiPer1KTable).ToList();

        Assert.NotEmpty(fromSeed);
        Assert.All(fromSeed, m => Assert.Contains(m.Model, rows));
    }

    private sealed record Per1KRow(string Model, IReadOnlyList<(string Field, decimal Per1K)> Prices);

    private static List<Per1KRow> ParsePer1KTable(string text)
    {
        // | Model | Input | Batch Input | Cached Input | Output | Batch Output | Text Input | Text Output | Audio Input | Audio Output |
        string[] fields = ["input", "batch.input", "cached_input", "output", "batch.output", "input", "output", "input_audio", "output_audio"];
        var lines = text.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("| Model", StringComparison.Ordinal) && l.Contains("($/1K)", StringComparison.Ordinal));
        Assert.True(header >= 0, "per-1K table header not found");

        var rows = new List<Per1KRow>();
        for (var i = header + 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            var cells = lines[i].Split('|').Select(c => c.Trim()).ToArray();
            Assert.Equal(12, cells.Length);
            var prices = new List<(string, decimal)>();
            for (var c = 0; c < fields.Length; c++)
            {
                if (cells[c + 2].Length > 0)
                {
                    prices.Add((fields[c], decimal.Parse(cells[c + 2], CultureInfo.InvariantCulture)));
                }
            }

            rows.Add(new Per1KRow(cells[1], prices));
        }

        return rows;
    }

    // ---------------- Seed 001: OpenAI's pricing page ----------------

    [Fact]
    public void Seed001_PricingPageRows_MatchCatalogOrAreOverriddenByNewerSeed()
    {
        var prices = ParsePricingPage(SeedFiles.Read(SeedFiles.OpenAiPricingPage));
        Assert.True(prices.Count >= 30, $"only {prices.Count} prices parsed");

        // The parser reads each kind of block: flagship, realtime text and audio, image generation.
        Assert.Contains(("gpt-5-mini", "cached_input", 0.025m), prices);
        Assert.Contains(("gpt-5-pro", "cached_input", null), prices);
        Assert.Contains(("gpt-realtime-mini", "input", 0.60m), prices);
        Assert.Contains(("gpt-realtime", "output_audio", 64.00m), prices);
        Assert.Contains(("gpt-image-1-mini", "cached_input", 0.20m), prices);
        Assert.Contains(("gpt-image-1", "output", 40.00m), prices);
        Assert.DoesNotContain(prices, p => p.Model == "gpt-4.1");

        var failures = new List<string>();
        var matched = 0;
        foreach (var (model, field, expected) in prices)
        {
            var entry = Catalog.Find("openai", model);
            if (entry is null)
            {
                failures.Add($"{model}: not in the catalog");
                continue;
            }

            var actual = PriceField.Get(entry, field);
            if (actual == expected)
            {
                matched++;
            }
            else if (entry.Source?.File != SeedFiles.ResearchLog)
            {
                failures.Add($"{model} {field}: catalog {actual}, page {expected}, and no newer seed is named");
            }
        }

        Assert.Empty(failures);
        Assert.True(matched >= 30, $"only {matched} prices matched");
    }

    /// <summary>
    /// The flagship sections (<c>## GPT-5 mini</c> ... <c>Input:</c> / <c>$0.250 / 1M tokens</c>), the Realtime API
    /// text and audio blocks and the Image Generation API blocks. Fine-tuning prices are not base-model prices and
    /// the realtime image-token rates have no catalog field, so both are left out.
    /// </summary>
    private static List<(string Model, string Field, decimal? Price)> ParsePricingPage(string text)
    {
        var result = new List<(string, string, decimal?)>();
        var lines = text.Split('\n').Select(l => l.Trim()).ToArray();
        int Find(string line, int from = 0)
        {
            var i = Array.IndexOf(lines, line, from);
            Assert.True(i >= 0, $"'{line}' not found in seed 001");
            return i;
        }

        // Flagship models.
        var end = Find("### Fine-tuning our models");
        string? model = null;
        for (var i = Find("## Flagship models") + 1; i < end; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                model = lines[i][3..].Trim().ToLowerInvariant().Replace(' ', '-');
            }
            else if (model is not null && lines[i] is "Input:" or "Cached input:" or "Output:")
            {
                var field = lines[i] switch { "Input:" => "input", "Cached input:" => "cached_input", _ => "output" };
                result.Add((model, field, ParseDollar(lines[i + 1])));
            }
        }

        // Realtime API and Image Generation API: a model line, then input / cached input / output lines.
        void Blocks(int from, int to, Func<string, (string? Input, string? Cached, string? Output)?> fieldsOf)
        {
            string? section = null;
            for (var i = from; i < to; i++)
            {
                if (lines[i].StartsWith("### ", StringComparison.Ordinal))
                {
                    section = lines[i][4..];
                    continue;
                }

                if (section is null || !ModelName().IsMatch(lines[i]) || i + 6 >= to)
                {
                    continue;
                }

                var fields = fieldsOf(section);
                if (fields is null)
                {
                    continue;
                }

                var name = lines[i].ToLowerInvariant();
                var values = new[] { fields.Value.Input, fields.Value.Cached, fields.Value.Output };
                for (var k = 0; k < 3; k++)
                {
                    // Lines alternate with blanks: i+2, i+4, i+6 hold the three prices.
                    var priceLine = lines[i + 2 + (2 * k)];
                    if (values[k] is { } f && priceLine != "\\-")
                    {
                        result.Add((name, f, ParseDollar(priceLine)));
                    }
                }
            }
        }

        Blocks(Find("## Realtime API"), Find("## Sora Video API"), s => s switch
        {
            "Text" => ("input", "cached_input", "output"),
            "Audio" => ("input_audio", null, "output_audio"),
            _ => null,
        });
        Blocks(Find("## Image Generation API"), Find("## Responses API"), s => s switch
        {
            "Text" => ("input", "cached_input", null),
            "Image" => (null, null, "output"),
            _ => null,
        });
        return result;
    }

    private static decimal? ParseDollar(string line)
    {
        if (line == "\\-" || line == "-")
        {
            return null;
        }

        var m = Dollar().Match(line);
        Assert.True(m.Success, $"no price in '{line}'");
        return decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // ---------------- Seed 000: OpenAI's docs pricing tables (parsed) ----------------

    [Fact]
    public void Seed000_OpenAiTextTokenTables_MatchCatalogForEveryTier()
    {
        var text = SeedFiles.Read(SeedFiles.ResearchLog);
        var section = Section(text, "Text tokens\nPrices per 1M tokens.\n", "\nImage tokens\n");
        var failures = new List<string>();
        var compared = 0;
        string? tier = null;
        foreach (var line in section.Split('\n'))
        {
            if (line is "Batch" or "Flex" or "Standard" or "Priority")
            {
                tier = line.ToLowerInvariant();
                continue;
            }

            if (tier is null || ParseRow(line) is not { } row)
            {
                continue;
            }

            var entry = Catalog.Find("openai", row.Model);
            if (entry is null)
            {
                failures.Add($"{row.Model}: not in the catalog");
                continue;
            }

            var prefix = tier == "standard" ? "" : tier + ".";
            Check(failures, entry, prefix + "input", row.Prices[0]);
            Check(failures, entry, prefix + "cached_input", row.Prices[1]);

            // An image model's catalog output is its image-output rate, checked against the image-token table.
            if (entry.Mode != "image")
            {
                Check(failures, entry, prefix + "output", row.Prices[2]);
            }

            compared++;
        }

        Assert.Empty(failures);
        Assert.True(compared >= 90, $"only {compared} rows compared");
    }

    [Fact]
    public void Seed000_OpenAiAudioTokenTable_MatchesCatalogAudioRates()
    {
        var section = Section(SeedFiles.Read(SeedFiles.ResearchLog), "Audio tokens\nPrices per 1M tokens.", "\nVideo\n");
        var failures = new List<string>();
        var rows = section.Split('\n').Select(ParseRow).OfType<TableRow>().ToList();
        foreach (var row in rows)
        {
            var entry = Catalog.Find("openai", row.Model);
            if (entry is null)
            {
                failures.Add($"{row.Model}: not in the catalog");
                continue;
            }

            Check(failures, entry, "input_audio", row.Prices[0]);
            Check(failures, entry, "output_audio", row.Prices[2]);
        }

        Assert.Empty(failures);
        Assert.Equal(8, rows.Count);
    }

    [Fact]
    public void Seed000_OpenAiEmbeddingTable_MatchesCatalog()
    {
        var section = Section(SeedFiles.Read(SeedFiles.ResearchLog), "Embeddings\nPrices per 1M tokens.", "### Moderation");
        var rows = section.Split('\n').Select(ParseRow).OfType<TableRow>().ToList();
        var failures = new List<string>();
        foreach (var row in rows)
        {
            var entry = Catalog.Find("openai", row.Model);
            if (entry is null)
            {
                failures.Add($"{row.Model}: not in the catalog");
                continue;
            }

            Assert.Equal("embedding", entry.Mode);
            Check(failures, entry, "input", row.Prices[0]);
            Check(failures, entry, "batch.input", row.Prices[1]);
        }

        Assert.Empty(failures);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public void Seed000_OpenAiLegacyTables_MatchCatalog()
    {
        var section = Section(SeedFiles.Read(SeedFiles.ResearchLog), "Legacy models\nPrices per 1M tokens.", "[Text tokensText tokens]");
        var failures = new List<string>();
        var compared = 0;
        string? tier = null;
        foreach (var line in section.Split('\n'))
        {
            if (line is "Batch" or "Standard")
            {
                tier = line == "Batch" ? "batch." : "";
                continue;
            }

            if (tier is null || ParseRow(line) is not { } row)
            {
                continue;
            }

            var entry = Catalog.Find("openai", row.Model);
            if (entry is null)
            {
                failures.Add($"{row.Model}: not in the catalog");
                continue;
            }

            Check(failures, entry, tier + "input", row.Prices[0]);
            Check(failures, entry, tier + "output", row.Prices[1]);
            compared++;
        }

        Assert.Empty(failures);
        Assert.Equal(31, compared);
    }

    [Fact]
    public void Seed000_EveryOpenAiEntryFromTheLog_IsInAParsedTableOrADataRow()
    {
        var text = SeedFiles.Read(SeedFiles.ResearchLog);
        var names = new[]
        {
            Section(text, "Text tokens\nPrices per 1M tokens.\n", "\nImage tokens\n"),
            Section(text, "Audio tokens\nPrices per 1M tokens.", "\nVideo\n"),
            Section(text, "Embeddings\nPrices per 1M tokens.", "### Moderation"),
            Section(text, "Legacy models\nPrices per 1M tokens.", "[Text tokensText tokens]"),
        }.SelectMany(s => s.Split('\n')).Select(ParseRow).OfType<TableRow>().Select(r => r.Model)
            .Concat(ResearchLogRows.Where(r => (string)r[0]! == "openai").Select(r => (string)r[1]!))
            .ToHashSet(StringComparer.Ordinal);

        // omni-moderation is "made available free of charge": there is no table row to check.
        var notChecked = Catalog.Models
            .Where(m => m.Provider == "openai" && m.Source?.File == SeedFiles.ResearchLog && m.Model != "omni-moderation-latest")
            .Where(m => !m.Aliases.Prepend(m.Model).Any(names.Contains))
            .Select(m => m.Model);
        Assert.Empty(notChecked);
        Assert.Contains("Our `omni-moderation` models are made available free of charge", text, StringComparison.Ordinal);
        Assert.Equal(0m, PriceField.All(Catalog.Find("openai", "omni-moderation-latest")!).Sum(p => p.Value));
    }

    private sealed record TableRow(string Model, decimal?[] Prices);

    /// <summary><c>gpt-5.2 | $1.75 | $0.175 | $14.00</c>; <c>-</c> is a price the model lacks.</summary>
    private static TableRow? ParseRow(string line)
    {
        var cells = line.Split(" | ");
        if (cells.Length < 2 || cells[0] is "Model" || cells[0].Contains(' ', StringComparison.Ordinal) || !cells[1].StartsWith('$') && cells[1] != "-")
        {
            return null;
        }

        return new TableRow(cells[0], cells.Skip(1).Select(c => c.Trim() == "-" ? (decimal?)null : ParseDollar(c)).ToArray());
    }

    private static string Section(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not found");
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to > from, $"'{end}' not found after '{start}'");
        return text[from..to];
    }

    private static void Check(List<string> failures, ModelEntry entry, string field, decimal? expected)
    {
        var actual = PriceField.Get(entry, field);
        if (actual != expected)
        {
            failures.Add($"{entry.Id} {field}: catalog {actual?.ToString(CultureInfo.InvariantCulture) ?? "none"}, seed {expected?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        }
    }

    // ---------------- Seed 000: the other providers, as data rows ----------------

    /// <summary>
    /// Each row: provider, model, price field, the expected USD per 1M tokens, which <c>$</c> amount of the phrase
    /// it is (0-based), the phrase as it stands in the research log, and an anchor (the model's heading or the
    /// table header) the phrase must follow within a few thousand characters, or null when the phrase names the model.
    /// </summary>
    public static IEnumerable<object?[]> ResearchLogPrices => ResearchLogRows;

    [Theory]
    [MemberData(nameof(ResearchLogPrices))]
    public void Seed000_Price_MatchesSeedTextAndCatalog(string provider, string model, string field, string expected, int nth, string phrase, string? anchor)
    {
        var entry = CheckRow(ResearchLogText.Value, provider, model, field, expected, nth, phrase, anchor);

        Assert.Equal(SeedFiles.ResearchLog, entry.Source?.File);
    }

    /// <summary>
    /// Seed 003 holds an older copy (2025-12-18) of Google's pricing page with models and batch prices that
    /// seed 000's copy lacks or cuts off. Same row format as <see cref="ResearchLogPrices"/>.
    /// </summary>
    public static IEnumerable<object?[]> GeminiPageInSeed003Prices => Seed003Rows;

    [Theory]
    [MemberData(nameof(GeminiPageInSeed003Prices))]
    public void Seed003_Price_MatchesSeedTextAndCatalog(string provider, string model, string field, string expected, int nth, string phrase, string? anchor)
    {
        var entry = CheckRow(Seed003Text.Value, provider, model, field, expected, nth, phrase, anchor);

        // Seed 000's newer copy of the page wins where it has the model; its note must name seed 003 for the rest.
        Assert.True(
            entry.Source?.File == SeedFiles.FreeApiDiscussion || (entry.Source?.File == SeedFiles.ResearchLog && entry.Source.Note!.Contains("seed 003", StringComparison.Ordinal)),
            $"{entry.Id}: source {entry.Source?.File}");
    }

    private static ModelEntry CheckRow(string text, string provider, string model, string field, string expected, int nth, string phrase, string? anchor)
    {
        var price = decimal.Parse(expected, CultureInfo.InvariantCulture);

        // The row itself is checked against the seed: the phrase is there, near its anchor, and says this price.
        Assert.Contains(phrase, text, StringComparison.Ordinal);
        if (anchor is not null)
        {
            var near = false;
            for (var i = text.IndexOf(anchor, StringComparison.Ordinal); i >= 0 && !near; i = text.IndexOf(anchor, i + 1, StringComparison.Ordinal))
            {
                near = text.AsSpan(i, Math.Min(3500, text.Length - i)).Contains(phrase, StringComparison.Ordinal);
            }

            Assert.True(near, $"'{phrase}' is not within 3500 characters after '{anchor}'");
        }

        var amounts = Dollar().Matches(phrase);
        Assert.True(nth < amounts.Count, $"'{phrase}' has no ${nth}th amount");
        Assert.Equal(price, decimal.Parse(amounts[nth].Groups[1].Value, CultureInfo.InvariantCulture));

        var entry = Catalog.Find(provider, model);
        Assert.NotNull(entry);
        Assert.Equal(price, PriceField.Get(entry, field));
        return entry;
    }

    [Fact]
    public void Seed003_DataRows_CoverEveryEntryFromIt()
    {
        var covered = Seed003Rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var fromSeed = Catalog.Models.Where(m => m.Source?.File == SeedFiles.FreeApiDiscussion).ToList();

        Assert.NotEmpty(fromSeed);
        Assert.All(fromSeed, m => Assert.Contains((m.Provider, m.Model), covered));
        Assert.Contains("Last updated 2025-12-18 UTC.", Seed003Text.Value, StringComparison.Ordinal);
        Assert.All(fromSeed, m => Assert.Equal("2025-12-18", m.Source!.Date));
    }

    [Fact]
    public void Seed000_DataRows_CoverEveryProviderAndEveryEntryFromTheLogOutsideOpenAi()
    {
        var covered = ResearchLogRows.Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var fromLog = Catalog.Models.Where(m => m.Source?.File == SeedFiles.ResearchLog && m.Provider != "openai").ToList();

        Assert.All(fromLog, m => Assert.Contains((m.Provider, m.Model), covered));
        Assert.Equal(
            ["anthropic", "deepseek", "gemini", "groq", "mistral", "moonshot", "openai"],
            covered.Select(c => c.Item1).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Seed000_EntriesFromIt_CarryTheDatesTheLogStates()
    {
        var text = ResearchLogText.Value;
        Assert.Contains("**Time:** 2026-02-09T", text, StringComparison.Ordinal);
        Assert.Contains("Last updated on February 2, 2026", text, StringComparison.Ordinal);

        Assert.All(
            Catalog.Models.Where(m => m.Source?.File == SeedFiles.ResearchLog),
            m => Assert.Equal(m.Provider == "moonshot" ? "2026-02-02" : "2026-02", m.Source!.Date));
    }

    private static readonly Lazy<string> ResearchLogText = new(() => SeedFiles.Read(SeedFiles.ResearchLog));
    private static readonly Lazy<string> Seed003Text = new(() => SeedFiles.Read(SeedFiles.FreeApiDiscussion));

    [GeneratedRegex(@"\$(\d+(?:\.\d+)?)")]
    private static partial Regex Dollar();

    [GeneratedRegex(@"^(gpt|GPT)-[\w.\-]+$")]
    private static partial Regex ModelName();

    private static readonly object?[][] ResearchLogRows =
    [
        ["anthropic", "claude-opus-4-6", "input", "5", 0, "Claude Opus 4.6 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-6", "cache_write_5m", "6.25", 1, "Claude Opus 4.6 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-6", "cache_write_1h", "10", 2, "Claude Opus 4.6 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-6", "cached_input", "0.50", 3, "Claude Opus 4.6 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-6", "output", "25", 4, "Claude Opus 4.6 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-6", "batch.input", "2.50", 0, "Claude Opus 4.6 | $2.50 / MTok | $12.50 / MTok", null],
        ["anthropic", "claude-opus-4-6", "batch.output", "12.50", 1, "Claude Opus 4.6 | $2.50 / MTok | $12.50 / MTok", null],
        ["anthropic", "claude-opus-4-5", "input", "5", 0, "Claude Opus 4.5 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-5", "cache_write_5m", "6.25", 1, "Claude Opus 4.5 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-5", "cache_write_1h", "10", 2, "Claude Opus 4.5 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-5", "cached_input", "0.50", 3, "Claude Opus 4.5 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-5", "output", "25", 4, "Claude Opus 4.5 | $5 / MTok | $6.25 / MTok | $10 / MTok | $0.50 / MTok | $25 / MTok", null],
        ["anthropic", "claude-opus-4-5", "batch.input", "2.50", 0, "Claude Opus 4.5 | $2.50 / MTok | $12.50 / MTok", null],
        ["anthropic", "claude-opus-4-5", "batch.output", "12.50", 1, "Claude Opus 4.5 | $2.50 / MTok | $12.50 / MTok", null],
        ["anthropic", "claude-opus-4-1", "input", "15", 0, "Claude Opus 4.1 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-1", "cache_write_5m", "18.75", 1, "Claude Opus 4.1 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-1", "cache_write_1h", "30", 2, "Claude Opus 4.1 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-1", "cached_input", "1.50", 3, "Claude Opus 4.1 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-1", "output", "75", 4, "Claude Opus 4.1 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-1", "batch.input", "7.50", 0, "Claude Opus 4.1 | $7.50 / MTok | $37.50 / MTok", null],
        ["anthropic", "claude-opus-4-1", "batch.output", "37.50", 1, "Claude Opus 4.1 | $7.50 / MTok | $37.50 / MTok", null],
        ["anthropic", "claude-opus-4-0", "input", "15", 0, "Claude Opus 4 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-0", "cache_write_5m", "18.75", 1, "Claude Opus 4 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-0", "cache_write_1h", "30", 2, "Claude Opus 4 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-0", "cached_input", "1.50", 3, "Claude Opus 4 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-0", "output", "75", 4, "Claude Opus 4 | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-opus-4-0", "batch.input", "7.50", 0, "Claude Opus 4 | $7.50 / MTok | $37.50 / MTok", null],
        ["anthropic", "claude-opus-4-0", "batch.output", "37.50", 1, "Claude Opus 4 | $7.50 / MTok | $37.50 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "input", "3", 0, "Claude Sonnet 4.5 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "cache_write_5m", "3.75", 1, "Claude Sonnet 4.5 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "cache_write_1h", "6", 2, "Claude Sonnet 4.5 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "cached_input", "0.30", 3, "Claude Sonnet 4.5 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "output", "15", 4, "Claude Sonnet 4.5 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "batch.input", "1.50", 0, "Claude Sonnet 4.5 | $1.50 / MTok | $7.50 / MTok", null],
        ["anthropic", "claude-sonnet-4-5", "batch.output", "7.50", 1, "Claude Sonnet 4.5 | $1.50 / MTok | $7.50 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "input", "3", 0, "Claude Sonnet 4 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "cache_write_5m", "3.75", 1, "Claude Sonnet 4 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "cache_write_1h", "6", 2, "Claude Sonnet 4 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "cached_input", "0.30", 3, "Claude Sonnet 4 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "output", "15", 4, "Claude Sonnet 4 | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "batch.input", "1.50", 0, "Claude Sonnet 4 | $1.50 / MTok | $7.50 / MTok", null],
        ["anthropic", "claude-sonnet-4-0", "batch.output", "7.50", 1, "Claude Sonnet 4 | $1.50 / MTok | $7.50 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "input", "3", 0, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "cache_write_5m", "3.75", 1, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "cache_write_1h", "6", 2, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "cached_input", "0.30", 3, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "output", "15", 4, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "batch.input", "1.50", 0, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $1.50 / MTok | $7.50 / MTok", null],
        ["anthropic", "claude-3-7-sonnet-latest", "batch.output", "7.50", 1, "Claude Sonnet 3.7 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $1.50 / MTok | $7.50 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "input", "1", 0, "Claude Haiku 4.5 | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "cache_write_5m", "1.25", 1, "Claude Haiku 4.5 | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "cache_write_1h", "2", 2, "Claude Haiku 4.5 | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "cached_input", "0.10", 3, "Claude Haiku 4.5 | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "output", "5", 4, "Claude Haiku 4.5 | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "batch.input", "0.50", 0, "Claude Haiku 4.5 | $0.50 / MTok | $2.50 / MTok", null],
        ["anthropic", "claude-haiku-4-5", "batch.output", "2.50", 1, "Claude Haiku 4.5 | $0.50 / MTok | $2.50 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "input", "0.80", 0, "Claude Haiku 3.5 | $0.80 / MTok | $1 / MTok | $1.6 / MTok | $0.08 / MTok | $4 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "cache_write_5m", "1", 1, "Claude Haiku 3.5 | $0.80 / MTok | $1 / MTok | $1.6 / MTok | $0.08 / MTok | $4 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "cache_write_1h", "1.6", 2, "Claude Haiku 3.5 | $0.80 / MTok | $1 / MTok | $1.6 / MTok | $0.08 / MTok | $4 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "cached_input", "0.08", 3, "Claude Haiku 3.5 | $0.80 / MTok | $1 / MTok | $1.6 / MTok | $0.08 / MTok | $4 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "output", "4", 4, "Claude Haiku 3.5 | $0.80 / MTok | $1 / MTok | $1.6 / MTok | $0.08 / MTok | $4 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "batch.input", "0.40", 0, "Claude Haiku 3.5 | $0.40 / MTok | $2 / MTok", null],
        ["anthropic", "claude-3-5-haiku-latest", "batch.output", "2", 1, "Claude Haiku 3.5 | $0.40 / MTok | $2 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "input", "15", 0, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "cache_write_5m", "18.75", 1, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "cache_write_1h", "30", 2, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "cached_input", "1.50", 3, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "output", "75", 4, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "batch.input", "7.50", 0, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $7.50 / MTok | $37.50 / MTok", null],
        ["anthropic", "claude-3-opus-latest", "batch.output", "37.50", 1, "Claude Opus 3 ([deprecated](https://platform.claude.com/docs/en/about-claude/model-deprecations)) | $7.50 / MTok | $37.50 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "input", "0.25", 0, "Claude Haiku 3 | $0.25 / MTok | $0.30 / MTok | $0.50 / MTok | $0.03 / MTok | $1.25 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "cache_write_5m", "0.30", 1, "Claude Haiku 3 | $0.25 / MTok | $0.30 / MTok | $0.50 / MTok | $0.03 / MTok | $1.25 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "cache_write_1h", "0.50", 2, "Claude Haiku 3 | $0.25 / MTok | $0.30 / MTok | $0.50 / MTok | $0.03 / MTok | $1.25 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "cached_input", "0.03", 3, "Claude Haiku 3 | $0.25 / MTok | $0.30 / MTok | $0.50 / MTok | $0.03 / MTok | $1.25 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "output", "1.25", 4, "Claude Haiku 3 | $0.25 / MTok | $0.30 / MTok | $0.50 / MTok | $0.03 / MTok | $1.25 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "batch.input", "0.125", 0, "Claude Haiku 3 | $0.125 / MTok | $0.625 / MTok", null],
        ["anthropic", "claude-3-haiku-20240307", "batch.output", "0.625", 1, "Claude Haiku 3 | $0.125 / MTok | $0.625 / MTok", null],
        ["anthropic", "claude-opus-4-6", "long_context.input", "10", 1, "Claude Opus 4.6 | Input: $5 / MTok | Input: $10 / MTok", "Model | ≤ 200K input tokens | > 200K input tokens"],
        ["anthropic", "claude-opus-4-6", "long_context.output", "37.50", 1, "| Output: $25 / MTok | Output: $37.50 / MTok", "Model | ≤ 200K input tokens | > 200K input tokens"],
        ["anthropic", "claude-sonnet-4-5", "long_context.input", "6", 1, "Claude Sonnet 4.5 / 4 | Input: $3 / MTok | Input: $6 / MTok", "Model | ≤ 200K input tokens | > 200K input tokens"],
        ["anthropic", "claude-sonnet-4-5", "long_context.output", "22.50", 1, "| Output: $15 / MTok | Output: $22.50 / MTok", "Model | ≤ 200K input tokens | > 200K input tokens"],
        ["anthropic", "claude-sonnet-4-0", "long_context.input", "6", 1, "Claude Sonnet 4.5 / 4 | Input: $3 / MTok | Input: $6 / MTok", "Model | ≤ 200K input tokens | > 200K input tokens"],
        ["anthropic", "claude-sonnet-4-0", "long_context.output", "22.50", 1, "| Output: $15 / MTok | Output: $22.50 / MTok", "Model | ≤ 200K input tokens | > 200K input tokens"],
        ["gemini", "gemini-3-pro-preview", "input", "2.00", 0, "Input price | Not available | $2.00, prompts <= 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "long_context.input", "4.00", 0, "$4.00, prompts > 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "output", "12.00", 0, "Output price (including thinking tokens) | Not available | $12.00, prompts <= 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "long_context.output", "18.00", 0, "$18.00, prompts > 200k", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "cached_input", "0.20", 0, "Context caching price | Not available | $0.20, prompts <= 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "batch.cached_input", "0.20", 0, "Context caching price | Not available | $0.20, prompts <= 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "long_context.cached_input", "0.40", 0, "$0.40, prompts > 200k", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "batch.input", "1.00", 0, "Input price | Not available | $1.00, prompts <= 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "batch.output", "6.00", 0, "Output price (including thinking tokens) | Not available | $6.00, prompts <= 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "batch.long_context.input", "2.00", 0, "$2.00, prompts > 200k tokens", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "batch.long_context.output", "9.00", 0, "$9.00, prompts > 200k", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-pro-preview", "batch.long_context.cached_input", "0.40", 0, "$0.40, prompts > 200k", "_`gemini-3-pro-preview`_"],
        ["gemini", "gemini-3-flash-preview", "input", "0.50", 0, "Input price | Free of charge | $0.50 (text / image / video)", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-flash-preview", "input_audio", "1.00", 0, "$1.00 (audio)", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-flash-preview", "output", "3.00", 0, "Output price (including thinking tokens) | Free of charge | $3.00", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-flash-preview", "cached_input", "0.05", 0, "Context caching price | Free of charge | $0.05 (text / image / video)", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-flash-preview", "batch.input", "0.25", 0, "Input price | Not available | $0.25 (text / image / video)", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-flash-preview", "batch.output", "1.50", 0, "Output price (including thinking tokens) | Not available | $1.50", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-flash-preview", "batch.cached_input", "0.05", 0, "$0.05 (text / image / video)", "_`gemini-3-flash-preview`_"],
        ["gemini", "gemini-3-pro-image-preview", "input", "2.00", 0, "Input price | Not available | $2.00 (text/image),", "_`gemini-3-pro-image-preview`_"],
        ["gemini", "gemini-3-pro-image-preview", "output", "120.00", 0, "$120.00 (images)", "_`gemini-3-pro-image-preview`_"],
        ["gemini", "gemini-2.5-pro", "input", "1.25", 0, "Input price | Free of charge | $1.25, prompts <= 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "long_context.input", "2.50", 0, "$2.50, prompts > 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "output", "10.00", 0, "Output price (including thinking tokens) | Free of charge | $10.00, prompts <= 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "long_context.output", "15.00", 0, "$15.00, prompts > 200k", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "cached_input", "0.125", 0, "Context caching price | Not available | $0.125, prompts <= 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "batch.cached_input", "0.125", 0, "Context caching price | Not available | $0.125, prompts <= 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "long_context.cached_input", "0.25", 0, "$0.25, prompts > 200k", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "batch.input", "0.625", 0, "Input price | Not available | $0.625, prompts <= 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "batch.output", "5.00", 0, "Output price (including thinking tokens) | Not available | $5.00, prompts <= 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "batch.long_context.input", "1.25", 0, "$1.25, prompts > 200k tokens", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "batch.long_context.output", "7.50", 0, "$7.50, prompts > 200k", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-pro", "batch.long_context.cached_input", "0.25", 0, "$0.25, prompts > 200k", "_`gemini-2.5-pro`_"],
        ["gemini", "gemini-2.5-flash", "input", "0.30", 0, "Input price | Free of charge | $0.30 (text / image / video)", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash", "input_audio", "1.00", 0, "$1.00 (audio)", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash", "output", "2.50", 0, "Output price (including thinking tokens) | Free of charge | $2.50", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash", "cached_input", "0.03", 0, "Context caching price | Not available | $0.03 (text / image / video)", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash", "batch.cached_input", "0.03", 0, "Context caching price | Not available | $0.03 (text / image / video)", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash", "batch.input", "0.15", 0, "Input price | Not available | $0.15 (text / image / video)", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash", "batch.output", "1.25", 0, "Output price (including thinking tokens) | Not available | $1.25", "_`gemini-2.5-flash`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "input", "0.30", 0, "Input price | Free of charge | $0.30 (text / image / video)", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "input_audio", "1.00", 0, "$1.00 (audio)", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "output", "2.50", 0, "Output price (including thinking tokens) | Free of charge | $2.50", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "cached_input", "0.03", 0, "Context caching price | Not available | $0.03 (text / image / video)", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "batch.cached_input", "0.03", 0, "Context caching price | Not available | $0.03 (text / image / video)", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "batch.input", "0.15", 0, "Input price | Not available | $0.15 (text / image / video)", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-preview-09-2025", "batch.output", "1.25", 0, "Output price (including thinking tokens) | Not available | $1.25", "_`gemini-2.5-flash-preview-09-2025`_"],
        ["gemini", "gemini-2.5-flash-lite", "input", "0.10", 0, "Input price (text, image, video) | Free of charge | $0.10 (text / image / video)", "_`gemini-2.5-flash-lite`_"],
        ["gemini", "gemini-2.5-flash-lite", "input_audio", "0.30", 0, "$0.30 (audio)", "_`gemini-2.5-flash-lite`_"],
        ["gemini", "gemini-2.5-flash-lite", "output", "0.40", 0, "Output price (including thinking tokens) | Free of charge | $0.40", "_`gemini-2.5-flash-lite`_"],
        ["gemini", "gemini-2.5-flash-lite", "cached_input", "0.01", 0, "Context caching price | Not available | $0.01 (text / image / video)", "_`gemini-2.5-flash-lite`_"],
        ["moonshot", "kimi-k2.5", "cached_input", "0.10", 0, "kimi-k2.5 | 1M tokens | $0.10 | $0.60 | $3.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2.5", "input", "0.60", 1, "kimi-k2.5 | 1M tokens | $0.10 | $0.60 | $3.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2.5", "output", "3.00", 2, "kimi-k2.5 | 1M tokens | $0.10 | $0.60 | $3.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-0905-preview", "cached_input", "0.15", 0, "kimi-k2-0905-preview | 1M tokens | $0.15 | $0.60 | $2.50 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-0905-preview", "input", "0.60", 1, "kimi-k2-0905-preview | 1M tokens | $0.15 | $0.60 | $2.50 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-0905-preview", "output", "2.50", 2, "kimi-k2-0905-preview | 1M tokens | $0.15 | $0.60 | $2.50 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-0711-preview", "cached_input", "0.15", 0, "kimi-k2-0711-preview | 1M tokens | $0.15 | $0.60 | $2.50 | 131,072 tokens", null],
        ["moonshot", "kimi-k2-0711-preview", "input", "0.60", 1, "kimi-k2-0711-preview | 1M tokens | $0.15 | $0.60 | $2.50 | 131,072 tokens", null],
        ["moonshot", "kimi-k2-0711-preview", "output", "2.50", 2, "kimi-k2-0711-preview | 1M tokens | $0.15 | $0.60 | $2.50 | 131,072 tokens", null],
        ["moonshot", "kimi-k2-turbo-preview", "cached_input", "0.15", 0, "kimi-k2-turbo-previewRecommended | 1M tokens | $0.15 | $1.15 | $8.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-turbo-preview", "input", "1.15", 1, "kimi-k2-turbo-previewRecommended | 1M tokens | $0.15 | $1.15 | $8.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-turbo-preview", "output", "8.00", 2, "kimi-k2-turbo-previewRecommended | 1M tokens | $0.15 | $1.15 | $8.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-thinking", "cached_input", "0.15", 0, "kimi-k2-thinking | 1M tokens | $0.15 | $0.60 | $2.50 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-thinking", "input", "0.60", 1, "kimi-k2-thinking | 1M tokens | $0.15 | $0.60 | $2.50 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-thinking", "output", "2.50", 2, "kimi-k2-thinking | 1M tokens | $0.15 | $0.60 | $2.50 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-thinking-turbo", "cached_input", "0.15", 0, "kimi-k2-thinking-turbo | 1M tokens | $0.15 | $1.15 | $8.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-thinking-turbo", "input", "1.15", 1, "kimi-k2-thinking-turbo | 1M tokens | $0.15 | $1.15 | $8.00 | 262,144 tokens", null],
        ["moonshot", "kimi-k2-thinking-turbo", "output", "8.00", 2, "kimi-k2-thinking-turbo | 1M tokens | $0.15 | $1.15 | $8.00 | 262,144 tokens", null],
        ["moonshot", "moonshot-v1-8k", "input", "0.20", 0, "moonshot-v1-8k | 1M tokens | $0.20 | $2.00 | 8,192 tokens", null],
        ["moonshot", "moonshot-v1-8k", "output", "2.00", 1, "moonshot-v1-8k | 1M tokens | $0.20 | $2.00 | 8,192 tokens", null],
        ["moonshot", "moonshot-v1-32k", "input", "1.00", 0, "moonshot-v1-32k | 1M tokens | $1.00 | $3.00 | 32,768 tokens", null],
        ["moonshot", "moonshot-v1-32k", "output", "3.00", 1, "moonshot-v1-32k | 1M tokens | $1.00 | $3.00 | 32,768 tokens", null],
        ["moonshot", "moonshot-v1-128k", "input", "2.00", 0, "moonshot-v1-128k | 1M tokens | $2.00 | $5.00 | 131,072 tokens", null],
        ["moonshot", "moonshot-v1-128k", "output", "5.00", 1, "moonshot-v1-128k | 1M tokens | $2.00 | $5.00 | 131,072 tokens", null],
        ["moonshot", "moonshot-v1-8k-vision-preview", "input", "0.20", 0, "moonshot-v1-8k-vision-preview | 1M tokens | $0.20 | $2.00 | 8,192 tokens", null],
        ["moonshot", "moonshot-v1-8k-vision-preview", "output", "2.00", 1, "moonshot-v1-8k-vision-preview | 1M tokens | $0.20 | $2.00 | 8,192 tokens", null],
        ["moonshot", "moonshot-v1-32k-vision-preview", "input", "1.00", 0, "moonshot-v1-32k-vision-preview | 1M tokens | $1.00 | $3.00 | 32,768 tokens", null],
        ["moonshot", "moonshot-v1-32k-vision-preview", "output", "3.00", 1, "moonshot-v1-32k-vision-preview | 1M tokens | $1.00 | $3.00 | 32,768 tokens", null],
        ["moonshot", "moonshot-v1-128k-vision-preview", "input", "2.00", 0, "moonshot-v1-128k-vision-preview | 1M tokens | $2.00 | $5.00 | 131,072 tokens", null],
        ["moonshot", "moonshot-v1-128k-vision-preview", "output", "5.00", 1, "moonshot-v1-128k-vision-preview | 1M tokens | $2.00 | $5.00 | 131,072 tokens", null],
        ["groq", "openai/gpt-oss-20b", "input", "0.075", 0, "AI Model GPT OSS 20B 128k |  Current Speed 1,000 TPS |  Input Token Price(Per Million Tokens) $0.075(13.3M / $1)* |  Output Token Price(Per Million Tokens) $0.30", null],
        ["groq", "openai/gpt-oss-20b", "output", "0.30", 2, "AI Model GPT OSS 20B 128k |  Current Speed 1,000 TPS |  Input Token Price(Per Million Tokens) $0.075(13.3M / $1)* |  Output Token Price(Per Million Tokens) $0.30", null],
        ["groq", "openai/gpt-oss-safeguard-20b", "input", "0.075", 0, "AI Model GPT OSS Safeguard 20B |  Current Speed 1,000 TPS |  Input Token Price(Per Million Tokens) $0.075(13.3M / $1)* |  Output Token Price(Per Million Tokens) $0.30", null],
        ["groq", "openai/gpt-oss-safeguard-20b", "output", "0.30", 2, "AI Model GPT OSS Safeguard 20B |  Current Speed 1,000 TPS |  Input Token Price(Per Million Tokens) $0.075(13.3M / $1)* |  Output Token Price(Per Million Tokens) $0.30", null],
        ["groq", "openai/gpt-oss-120b", "input", "0.15", 0, "AI Model GPT OSS 120B 128k |  Current Speed 500 TPS |  Input Token Price(Per Million Tokens) $0.15(6.67M / $1)* |  Output Token Price(Per Million Tokens) $0.60", null],
        ["groq", "openai/gpt-oss-120b", "output", "0.60", 2, "AI Model GPT OSS 120B 128k |  Current Speed 500 TPS |  Input Token Price(Per Million Tokens) $0.15(6.67M / $1)* |  Output Token Price(Per Million Tokens) $0.60", null],
        ["groq", "moonshotai/kimi-k2-instruct-0905", "input", "1.00", 0, "AI Model Kimi K2-0905 1T 256k |  Current Speed 200 TPS |  Input Token Price(Per Million Tokens) $1.00(1M / $1)* |  Output Token Price(Per Million Tokens) $3.00", null],
        ["groq", "moonshotai/kimi-k2-instruct-0905", "output", "3.00", 2, "AI Model Kimi K2-0905 1T 256k |  Current Speed 200 TPS |  Input Token Price(Per Million Tokens) $1.00(1M / $1)* |  Output Token Price(Per Million Tokens) $3.00", null],
        ["groq", "meta-llama/llama-4-scout-17b-16e-instruct", "input", "0.11", 0, "AI Model Llama 4 Scout (17Bx16E) 128k |  Current Speed 594 TPS |  Input Token Price(Per Million Tokens) $0.11(9.09M / $1)* |  Output Token Price(Per Million Tokens) $0.34", null],
        ["groq", "meta-llama/llama-4-scout-17b-16e-instruct", "output", "0.34", 2, "AI Model Llama 4 Scout (17Bx16E) 128k |  Current Speed 594 TPS |  Input Token Price(Per Million Tokens) $0.11(9.09M / $1)* |  Output Token Price(Per Million Tokens) $0.34", null],
        ["groq", "meta-llama/llama-4-maverick-17b-128e-instruct", "input", "0.20", 0, "AI Model Llama 4 Maverick (17Bx128E) 128k |  Current Speed 562 TPS |  Input Token Price(Per Million Tokens) $0.20(5M / $1)* |  Output Token Price(Per Million Tokens) $0.60", null],
        ["groq", "meta-llama/llama-4-maverick-17b-128e-instruct", "output", "0.60", 2, "AI Model Llama 4 Maverick (17Bx128E) 128k |  Current Speed 562 TPS |  Input Token Price(Per Million Tokens) $0.20(5M / $1)* |  Output Token Price(Per Million Tokens) $0.60", null],
        ["groq", "meta-llama/llama-guard-4-12b", "input", "0.20", 0, "AI Model Llama Guard 4 12B 128k |  Current Speed 325 TPS |  Input Token Price(Per Million Tokens) $0.20(5M / $1)* |  Output Token Price(Per Million Tokens) $0.20", null],
        ["groq", "meta-llama/llama-guard-4-12b", "output", "0.20", 2, "AI Model Llama Guard 4 12B 128k |  Current Speed 325 TPS |  Input Token Price(Per Million Tokens) $0.20(5M / $1)* |  Output Token Price(Per Million Tokens) $0.20", null],
        ["groq", "qwen/qwen3-32b", "input", "0.29", 0, "AI Model Qwen3 32B 131k  |  Current Speed 662 TPS |  Input Token Price(Per Million Tokens) $0.29(3.44M / $1)* |  Output Token Price(Per Million Tokens) $0.59", null],
        ["groq", "qwen/qwen3-32b", "output", "0.59", 2, "AI Model Qwen3 32B 131k  |  Current Speed 662 TPS |  Input Token Price(Per Million Tokens) $0.29(3.44M / $1)* |  Output Token Price(Per Million Tokens) $0.59", null],
        ["groq", "llama-3.3-70b-versatile", "input", "0.59", 0, "AI Model Llama 3.3 70B Versatile 128k |  Current Speed 394 TPS |  Input Token Price(Per Million Tokens) $0.59(1.69M / $1)* |  Output Token Price(Per Million Tokens) $0.79", null],
        ["groq", "llama-3.3-70b-versatile", "output", "0.79", 2, "AI Model Llama 3.3 70B Versatile 128k |  Current Speed 394 TPS |  Input Token Price(Per Million Tokens) $0.59(1.69M / $1)* |  Output Token Price(Per Million Tokens) $0.79", null],
        ["groq", "llama-3.1-8b-instant", "input", "0.05", 0, "AI Model Llama 3.1 8B Instant 128k |  Current Speed 840 TPS |  Input Token Price(Per Million Tokens) $0.05(20M / $1)* |  Output Token Price(Per Million Tokens) $0.08", null],
        ["groq", "llama-3.1-8b-instant", "output", "0.08", 2, "AI Model Llama 3.1 8B Instant 128k |  Current Speed 840 TPS |  Input Token Price(Per Million Tokens) $0.05(20M / $1)* |  Output Token Price(Per Million Tokens) $0.08", null],
        ["groq", "moonshotai/kimi-k2-instruct-0905", "input", "1.00", 0, "Model moonshotai/kimi-k2-instruct-0905 |  Uncached Input Tokens (Per M Tokens) $1.00 |  Cached Input Tokens (Per M Tokens) $0.50 |  Output Tokens (Per M Tokens) $3.00", null],
        ["groq", "moonshotai/kimi-k2-instruct-0905", "cached_input", "0.50", 1, "Model moonshotai/kimi-k2-instruct-0905 |  Uncached Input Tokens (Per M Tokens) $1.00 |  Cached Input Tokens (Per M Tokens) $0.50 |  Output Tokens (Per M Tokens) $3.00", null],
        ["groq", "moonshotai/kimi-k2-instruct-0905", "output", "3.00", 2, "Model moonshotai/kimi-k2-instruct-0905 |  Uncached Input Tokens (Per M Tokens) $1.00 |  Cached Input Tokens (Per M Tokens) $0.50 |  Output Tokens (Per M Tokens) $3.00", null],
        ["groq", "openai/gpt-oss-120b", "input", "0.15", 0, "Model openai/gpt-oss-120b |  Uncached Input Tokens (Per M Tokens) $0.15 |  Cached Input Tokens (Per M Tokens) $0.075 |  Output Tokens (Per M Tokens) $0.60", null],
        ["groq", "openai/gpt-oss-120b", "cached_input", "0.075", 1, "Model openai/gpt-oss-120b |  Uncached Input Tokens (Per M Tokens) $0.15 |  Cached Input Tokens (Per M Tokens) $0.075 |  Output Tokens (Per M Tokens) $0.60", null],
        ["groq", "openai/gpt-oss-120b", "output", "0.60", 2, "Model openai/gpt-oss-120b |  Uncached Input Tokens (Per M Tokens) $0.15 |  Cached Input Tokens (Per M Tokens) $0.075 |  Output Tokens (Per M Tokens) $0.60", null],
        ["groq", "openai/gpt-oss-20b", "input", "0.075", 0, "Model openai/gpt-oss-20b |  Uncached Input Tokens (Per M Tokens) $0.075 |  Cached Input Tokens (Per M Tokens) $0.0375 |  Output Tokens (Per M Tokens) $0.30", null],
        ["groq", "openai/gpt-oss-20b", "cached_input", "0.0375", 1, "Model openai/gpt-oss-20b |  Uncached Input Tokens (Per M Tokens) $0.075 |  Cached Input Tokens (Per M Tokens) $0.0375 |  Output Tokens (Per M Tokens) $0.30", null],
        ["groq", "openai/gpt-oss-20b", "output", "0.30", 2, "Model openai/gpt-oss-20b |  Uncached Input Tokens (Per M Tokens) $0.075 |  Cached Input Tokens (Per M Tokens) $0.0375 |  Output Tokens (Per M Tokens) $0.30", null],
        ["deepseek", "deepseek-chat", "cached_input", "0.028", 0, "PRICING | 1M INPUT TOKENS (CACHE HIT) | $0.028", "MODEL | deepseek-chat | deepseek-reasoner"],
        ["deepseek", "deepseek-chat", "input", "0.28", 0, "1M INPUT TOKENS (CACHE MISS) | $0.28", "MODEL | deepseek-chat | deepseek-reasoner"],
        ["deepseek", "deepseek-chat", "output", "0.42", 0, "1M OUTPUT TOKENS | $0.42", "MODEL | deepseek-chat | deepseek-reasoner"],
        ["deepseek", "deepseek-reasoner", "cached_input", "0.028", 0, "PRICING | 1M INPUT TOKENS (CACHE HIT) | $0.028", "MODEL | deepseek-chat | deepseek-reasoner"],
        ["deepseek", "deepseek-reasoner", "input", "0.28", 0, "1M INPUT TOKENS (CACHE MISS) | $0.28", "MODEL | deepseek-chat | deepseek-reasoner"],
        ["deepseek", "deepseek-reasoner", "output", "0.42", 0, "1M OUTPUT TOKENS | $0.42", "MODEL | deepseek-chat | deepseek-reasoner"],
        ["mistral", "mistral-large-2512", "input", "0.5", 0, "Mistral Large 3 pricing: $0.5/1M input tokens, $1.5/1M output", null],
        ["mistral", "mistral-large-2512", "output", "1.5", 1, "Mistral Large 3 pricing: $0.5/1M input tokens, $1.5/1M output", null],
        ["openai", "gpt-4.5-preview", "input", "75.00", 0, "Text tokens\nPer 1M tokens\n∙\nBatch API price\nInput\n$75.00\nCached input\n$37.50\nOutput\n$150.00", "Deprecated - a research preview of GPT-4.5"],
        ["openai", "gpt-4.5-preview", "cached_input", "37.50", 1, "Text tokens\nPer 1M tokens\n∙\nBatch API price\nInput\n$75.00\nCached input\n$37.50\nOutput\n$150.00", "Deprecated - a research preview of GPT-4.5"],
        ["openai", "gpt-4.5-preview", "output", "150.00", 2, "Text tokens\nPer 1M tokens\n∙\nBatch API price\nInput\n$75.00\nCached input\n$37.50\nOutput\n$150.00", "Deprecated - a research preview of GPT-4.5"],
        ["openai", "gpt-image-1.5", "output", "32.00", 2, "gpt-image-1.5 | $8.00 | $2.00 | $32.00", "Image tokens\nPrices per 1M tokens."],
        ["openai", "chatgpt-image-latest", "output", "32.00", 2, "chatgpt-image-latest | $8.00 | $2.00 | $32.00", "Image tokens\nPrices per 1M tokens."],
        ["openai", "gpt-image-1", "output", "40.00", 2, "gpt-image-1 | $10.00 | $2.50 | $40.00", "Image tokens\nPrices per 1M tokens."],
        ["openai", "gpt-image-1-mini", "output", "8.00", 2, "gpt-image-1-mini | $2.50 | $0.25 | $8.00", "Image tokens\nPrices per 1M tokens."],
        ["openai", "gpt-4o-mini-tts", "input", "0.60", 0, "gpt-4o-mini-tts | $0.60 | - | $0.015 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-transcribe", "input", "2.50", 0, "gpt-4o-transcribe | $2.50 | $10.00 | $0.006 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-transcribe", "output", "10.00", 1, "gpt-4o-transcribe | $2.50 | $10.00 | $0.006 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-transcribe-diarize", "input", "2.50", 0, "gpt-4o-transcribe-diarize | $2.50 | $10.00 | $0.006 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-transcribe-diarize", "output", "10.00", 1, "gpt-4o-transcribe-diarize | $2.50 | $10.00 | $0.006 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-mini-transcribe", "input", "1.25", 0, "gpt-4o-mini-transcribe | $1.25 | $5.00 | $0.003 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-mini-transcribe", "output", "5.00", 1, "gpt-4o-mini-transcribe | $1.25 | $5.00 | $0.003 / minute", "#### Text tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-mini-tts", "output_audio", "12.00", 0, "gpt-4o-mini-tts | - | $12.00 | $0.015 / minute", "#### Audio tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-mini-tts", "output", "12.00", 0, "gpt-4o-mini-tts | - | $12.00 | $0.015 / minute", "#### Audio tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-transcribe", "input_audio", "6.00", 0, "gpt-4o-transcribe | $6.00 | - | $0.006 / minute", "#### Audio tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-transcribe-diarize", "input_audio", "6.00", 0, "gpt-4o-transcribe-diarize | $6.00 | - | $0.006 / minute", "#### Audio tokens\nModel | Input | Output | Estimated cost"],
        ["openai", "gpt-4o-mini-transcribe", "input_audio", "3.00", 0, "gpt-4o-mini-transcribe | $3.00 | - | $0.003 / minute", "#### Audio tokens\nModel | Input | Output | Estimated cost"],
    ];

    private static readonly object?[][] Seed003Rows =
    [
        ["gemini", "gemini-2.5-flash-lite", "batch.input", "0.05", 0, "Input price (text, image, video) Not available $0.05 (text / image / video)$0.15 (audio) Output price (including thinking tokens) Not available $0.20", "gemini-2.5-flash-lite Try"],
        ["gemini", "gemini-2.5-flash-lite", "batch.output", "0.20", 2, "Input price (text, image, video) Not available $0.05 (text / image / video)$0.15 (audio) Output price (including thinking tokens) Not available $0.20", "gemini-2.5-flash-lite Try"],
        ["gemini", "gemini-2.5-flash-lite", "batch.cached_input", "0.01", 0, "Context caching price Not available $0.01 (text / image / video)$0.03 (audio)$1.00 / 1,000,000 tokens per hour (storage price) Grounding with Google Search Not available", "gemini-2.5-flash-lite Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "input", "0.10", 0, "Input price (text, image, video) Free of charge $0.10 (text / image / video)$0.30 (audio) Output price (including thinking tokens) Free of charge $0.40 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "input_audio", "0.30", 1, "Input price (text, image, video) Free of charge $0.10 (text / image / video)$0.30 (audio) Output price (including thinking tokens) Free of charge $0.40 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "output", "0.40", 2, "Input price (text, image, video) Free of charge $0.10 (text / image / video)$0.30 (audio) Output price (including thinking tokens) Free of charge $0.40 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "cached_input", "0.01", 3, "Input price (text, image, video) Free of charge $0.10 (text / image / video)$0.30 (audio) Output price (including thinking tokens) Free of charge $0.40 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "batch.input", "0.05", 0, "Input price (text, image, video) Not available $0.05 (text / image / video)$0.15 (audio) Output price (including thinking tokens) Not available $0.20 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "batch.output", "0.20", 2, "Input price (text, image, video) Not available $0.05 (text / image / video)$0.15 (audio) Output price (including thinking tokens) Not available $0.20 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-lite-preview-09-2025", "batch.cached_input", "0.01", 3, "Input price (text, image, video) Not available $0.05 (text / image / video)$0.15 (audio) Output price (including thinking tokens) Not available $0.20 Context caching price Not available $0.01", "gemini-2.5-flash-lite-preview-09-2025 Try"],
        ["gemini", "gemini-2.5-flash-native-audio-preview-12-2025", "input", "0.50", 0, "Input price Free of charge $0.50 (text)$3.00 (audio / video) Output price (including thinking tokens) Free of charge $2.00 (text)$12.00 (audio)", "gemini-2.5-flash-native-audio-preview-12-2025 Try"],
        ["gemini", "gemini-2.5-flash-native-audio-preview-12-2025", "input_audio", "3.00", 1, "Input price Free of charge $0.50 (text)$3.00 (audio / video) Output price (including thinking tokens) Free of charge $2.00 (text)$12.00 (audio)", "gemini-2.5-flash-native-audio-preview-12-2025 Try"],
        ["gemini", "gemini-2.5-flash-native-audio-preview-12-2025", "output", "2.00", 2, "Input price Free of charge $0.50 (text)$3.00 (audio / video) Output price (including thinking tokens) Free of charge $2.00 (text)$12.00 (audio)", "gemini-2.5-flash-native-audio-preview-12-2025 Try"],
        ["gemini", "gemini-2.5-flash-native-audio-preview-12-2025", "output_audio", "12.00", 3, "Input price Free of charge $0.50 (text)$3.00 (audio / video) Output price (including thinking tokens) Free of charge $2.00 (text)$12.00 (audio)", "gemini-2.5-flash-native-audio-preview-12-2025 Try"],
        ["gemini", "gemini-2.5-flash-image", "input", "0.30", 0, "Input price Not available $0.30 (text / image) Output price Not available $0.039 per image*", "gemini-2.5-flash-image Try"],
        ["gemini", "gemini-2.5-flash-image", "output", "30", 0, "Image output is priced at $30 per 1,000,000 tokens. Output images up to 1024x1024px consume 1290 tokens", "gemini-2.5-flash-image Try"],
        ["gemini", "gemini-2.5-flash-preview-tts", "input", "0.50", 0, "Input price Free of charge $0.50 (text) Output price Free of charge $10.00 (audio)", "gemini-2.5-flash-preview-tts Try"],
        ["gemini", "gemini-2.5-flash-preview-tts", "output", "10.00", 1, "Input price Free of charge $0.50 (text) Output price Free of charge $10.00 (audio)", "gemini-2.5-flash-preview-tts Try"],
        ["gemini", "gemini-2.5-flash-preview-tts", "output_audio", "10.00", 1, "Input price Free of charge $0.50 (text) Output price Free of charge $10.00 (audio)", "gemini-2.5-flash-preview-tts Try"],
        ["gemini", "gemini-2.5-flash-preview-tts", "batch.input", "0.25", 0, "Input price Not available $0.25 (text) Output price Not available $5.00 (audio)", "gemini-2.5-flash-preview-tts Try"],
        ["gemini", "gemini-2.5-flash-preview-tts", "batch.output", "5.00", 1, "Input price Not available $0.25 (text) Output price Not available $5.00 (audio)", "gemini-2.5-flash-preview-tts Try"],
        ["gemini", "gemini-2.5-pro-preview-tts", "input", "1.00", 0, "Input price Not available $1.00 (text) Output price Not available $20.00 (audio)", "gemini-2.5-pro-preview-tts Try"],
        ["gemini", "gemini-2.5-pro-preview-tts", "output", "20.00", 1, "Input price Not available $1.00 (text) Output price Not available $20.00 (audio)", "gemini-2.5-pro-preview-tts Try"],
        ["gemini", "gemini-2.5-pro-preview-tts", "output_audio", "20.00", 1, "Input price Not available $1.00 (text) Output price Not available $20.00 (audio)", "gemini-2.5-pro-preview-tts Try"],
        ["gemini", "gemini-2.5-pro-preview-tts", "batch.input", "0.50", 0, "Input price Not available $0.50 (text) Output price Not available $10.00 (audio)", "gemini-2.5-pro-preview-tts Try"],
        ["gemini", "gemini-2.5-pro-preview-tts", "batch.output", "10.00", 1, "Input price Not available $0.50 (text) Output price Not available $10.00 (audio)", "gemini-2.5-pro-preview-tts Try"],
        ["gemini", "gemini-2.0-flash", "input", "0.10", 0, "Input price Free of charge $0.10 (text / image / video)$0.70 (audio) Output price Free of charge $0.40 Context caching price Free of charge $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash", "input_audio", "0.70", 1, "Input price Free of charge $0.10 (text / image / video)$0.70 (audio) Output price Free of charge $0.40 Context caching price Free of charge $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash", "output", "0.40", 2, "Input price Free of charge $0.10 (text / image / video)$0.70 (audio) Output price Free of charge $0.40 Context caching price Free of charge $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash", "cached_input", "0.025", 3, "Input price Free of charge $0.10 (text / image / video)$0.70 (audio) Output price Free of charge $0.40 Context caching price Free of charge $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash", "batch.input", "0.05", 0, "Input price Not available $0.05 (text / image / video)$0.35 (audio) Output price Not available $0.20 Context caching price Not available $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash", "batch.output", "0.20", 2, "Input price Not available $0.05 (text / image / video)$0.35 (audio) Output price Not available $0.20 Context caching price Not available $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash", "batch.cached_input", "0.025", 3, "Input price Not available $0.05 (text / image / video)$0.35 (audio) Output price Not available $0.20 Context caching price Not available $0.025 / 1,000,000 tokens (text/image/video)", "gemini-2.0-flash Try"],
        ["gemini", "gemini-2.0-flash-lite", "input", "0.075", 0, "Input price Free of charge $0.075 Output price Free of charge $0.30", "gemini-2.0-flash-lite Try"],
        ["gemini", "gemini-2.0-flash-lite", "output", "0.30", 1, "Input price Free of charge $0.075 Output price Free of charge $0.30", "gemini-2.0-flash-lite Try"],
        ["gemini", "gemini-2.0-flash-lite", "batch.input", "0.0375", 0, "Input price Not available $0.0375 Output price Not available $0.15", "gemini-2.0-flash-lite Try"],
        ["gemini", "gemini-2.0-flash-lite", "batch.output", "0.15", 1, "Input price Not available $0.0375 Output price Not available $0.15", "gemini-2.0-flash-lite Try"],
        ["gemini", "gemini-embedding-001", "input", "0.15", 0, "Input price Free of charge $0.15 Used to improve our products Yes No Batch Free Tier Paid Tier, per 1M tokens in USD Input price Not available $0.075", "gemini-embedding-001 Try"],
        ["gemini", "gemini-embedding-001", "batch.input", "0.075", 1, "Input price Free of charge $0.15 Used to improve our products Yes No Batch Free Tier Paid Tier, per 1M tokens in USD Input price Not available $0.075", "gemini-embedding-001 Try"],
        ["gemini", "gemini-robotics-er-1.5-preview", "input", "0.30", 0, "Input price Free of charge $0.30 (text / image / video)$1.00 (audio) Output price (including thinking tokens) Free of charge $2.50", "gemini-robotics-er-1.5-preview Try"],
        ["gemini", "gemini-robotics-er-1.5-preview", "input_audio", "1.00", 1, "Input price Free of charge $0.30 (text / image / video)$1.00 (audio) Output price (including thinking tokens) Free of charge $2.50", "gemini-robotics-er-1.5-preview Try"],
        ["gemini", "gemini-robotics-er-1.5-preview", "output", "2.50", 2, "Input price Free of charge $0.30 (text / image / video)$1.00 (audio) Output price (including thinking tokens) Free of charge $2.50", "gemini-robotics-er-1.5-preview Try"],
        ["gemini", "gemini-2.5-computer-use-preview-10-2025", "input", "1.25", 0, "Input price Not available $1.25, prompts <= 200k tokens$2.50, prompts > 200k token Output price Not available $10.00, prompts <= 200k tokens$15.00, prompts > 200k", "gemini-2.5-computer-use-preview-10-2025 Our Computer Use model"],
        ["gemini", "gemini-2.5-computer-use-preview-10-2025", "long_context.input", "2.50", 1, "Input price Not available $1.25, prompts <= 200k tokens$2.50, prompts > 200k token Output price Not available $10.00, prompts <= 200k tokens$15.00, prompts > 200k", "gemini-2.5-computer-use-preview-10-2025 Our Computer Use model"],
        ["gemini", "gemini-2.5-computer-use-preview-10-2025", "output", "10.00", 2, "Input price Not available $1.25, prompts <= 200k tokens$2.50, prompts > 200k token Output price Not available $10.00, prompts <= 200k tokens$15.00, prompts > 200k", "gemini-2.5-computer-use-preview-10-2025 Our Computer Use model"],
        ["gemini", "gemini-2.5-computer-use-preview-10-2025", "long_context.output", "15.00", 3, "Input price Not available $1.25, prompts <= 200k tokens$2.50, prompts > 200k token Output price Not available $10.00, prompts <= 200k tokens$15.00, prompts > 200k", "gemini-2.5-computer-use-preview-10-2025 Our Computer Use model"],
    ];
}
