using System.Globalization;
using Tollgate.Core.Catalog;
using Tollgate.Gateway;

namespace Tollgate.Cli;

/// <summary>
/// <c>tollgate catalog import FILE</c>: merges a LiteLLM-format price file into the local catalog;
/// <c>tollgate catalog update FILE-or-URL</c>: replaces the community layer (<see cref="CatalogUpdateCommand"/>);
/// <c>tollgate catalog sources</c>: the catalog's layers with their files, dates and counts.
/// </summary>
internal static class CatalogCommand
{
    public const string Usage = """
        Usage: tollgate catalog import FILE [--date YYYY-MM-DD] | tollgate catalog update FILE-or-URL [--dry-run] [--json] [--date YYYY-MM-DD] | tollgate catalog sources
          import FILE  merges a LiteLLM-format price file into the data directory's catalog.local.json, over the built-in catalog
                       (--date D: when the file was taken; default its modification date)
          update FILE-or-URL
                       replaces the community layer (below the seed-priced models) with a newer LiteLLM price file or an
                       http(s) URL of one, stored in the data directory as catalog.community.json (the gateway loads it at start),
                       and prints the models added, removed and with changed prices (old and new, USD per 1M tokens)
                       --dry-run  only print what would change     --json  the same as JSON
                       --date D   when the file was taken (default: the file's modification date or the URL's Last-Modified)
          sources      the catalog's layers, highest first, with their files, dates and model counts
        --data-dir DIR (default TOLLGATE_DATA_DIR or ./data)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var a = new CliArgs(args, "catalog", new HashSet<string> { "dry-run", "json" }, new HashSet<string> { "date", "data-dir" });
        if (a.Positional is ["sources"])
        {
            return Sources(a, output);
        }

        if (a.Positional is ["update", var location])
        {
            return await CatalogUpdateCommand.RunAsync(a, location, DataDir(a), output, error).ConfigureAwait(false);
        }

        if (a.Positional.Count != 2 || a.Positional[0] != "import")
        {
            throw new CliException(Usage);
        }

        var file = a.Positional[1];
        if (!File.Exists(file))
        {
            throw new CliException($"The file '{file}' does not exist.");
        }

        var date = a.Get("date") ?? File.GetLastWriteTimeUtc(file).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        LiteLlmImportResult result;
        try
        {
            result = LiteLlmImporter.Import(file, date);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new CliException($"'{file}' is not a LiteLLM price file: {ex.Message}");
        }

        var dataDir = DataDir(a);
        var localPath = Path.Combine(dataDir, GatewayHost.LocalCatalogFile);
        var local = File.Exists(localPath) ? CatalogFile.Read(localPath) : [];
        var merged = new ModelCatalog(local.Concat(result.Models));
        CatalogFile.Write(localPath, merged.Models);

        output.WriteLine($"Imported {result.Imported} models from {Path.GetFileName(file)} into {localPath} ({merged.Models.Count} models in the local catalog).");
        if (result.SkippedByReason.Count > 0)
        {
            var table = new TextTable("SKIPPED", "ENTRIES").RightAlign(1);
            foreach (var (reason, count) in result.SkippedByReason.OrderByDescending(kv => kv.Value))
            {
                table.Add(reason, count.ToString(CultureInfo.InvariantCulture));
            }

            table.Write(output);
        }

        if (result.Bad.Count > 0)
        {
            output.WriteLine($"{result.Bad.Count} entries could not be read:");
            foreach (var bad in result.Bad.Take(20))
            {
                output.WriteLine($"  {bad.Key}: {bad.Reason}");
            }

            if (result.Bad.Count > 20)
            {
                output.WriteLine($"  ... and {result.Bad.Count - 20} more");
            }
        }

        return 0;
    }

    private static int Sources(CliArgs a, TextWriter output)
    {
        var localPath = Path.Combine(DataDir(a), GatewayHost.LocalCatalogFile);
        var table = new TextTable("LAYER", "FILE", "DATE", "MODELS", "NOTE").RightAlign(3);
        if (File.Exists(localPath))
        {
            var local = CatalogFile.Read(localPath);
            var dates = local.Select(m => m.Source?.Date).Where(d => d is not null).Distinct().Order(StringComparer.Ordinal).ToList();
            table.Add("local", localPath, dates.Count == 0 ? "-" : string.Join(", ", dates), Format.Count(local.Count), "tollgate catalog import; wins over both built-in layers");
        }

        foreach (var group in CatalogLayers.Seed.GroupBy(m => (m.Source?.File ?? "-", m.Source?.Date ?? "-")).OrderBy(g => g.Key.Item1, StringComparer.Ordinal))
        {
            table.Add("seed", group.Key.Item1, group.Key.Item2, Format.Count(group.Count()), "built in (Catalog/catalog.json)");
        }

        var dataDir = DataDir(a);
        var update = CommunityUpdate.Find(dataDir);
        var community = update is null ? CatalogLayers.Community : update.Import(dataDir);
        var skipped = string.Join(", ", community.SkippedByReason.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}"));
        if (update is null)
        {
            table.Add("community", CatalogLayers.CommunityFile, CatalogLayers.CommunityDate, Format.Count(community.Imported), $"LiteLLM, MIT licence; skipped: {skipped}");
        }
        else
        {
            table.Add("community", update.File, update.Date, Format.Count(community.Imported), $"LiteLLM, MIT licence; tollgate catalog update, stored as {Path.Combine(dataDir, CommunityUpdate.DataFile)}, replaces the built-in {CatalogLayers.CommunityFile}; skipped: {skipped}");
        }

        table.Write(output);
        var all = CliApp.Catalog(a).Models.Count;
        output.WriteLine($"{Format.Count(all)} models in the combined catalog (a higher layer replaces a lower entry of the same provider/model).");
        return 0;
    }

    private static string DataDir(CliArgs a) =>
        a.Get("data-dir") ?? (Environment.GetEnvironmentVariable("TOLLGATE_DATA_DIR") is { Length: > 0 } d ? d : "data");
}
