using System.Globalization;
using Tollgate.Core.Catalog;
using Tollgate.Gateway;

namespace Tollgate.Cli;

/// <summary><c>tollgate catalog import FILE</c>: merges a LiteLLM-format price file into the local catalog.</summary>
internal static class CatalogCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, "catalog", new HashSet<string>(), new HashSet<string> { "date" });
        if (a.Positional.Count != 2 || a.Positional[0] != "import")
        {
            throw new CliException("Usage: tollgate catalog import FILE [--date YYYY-MM-DD]");
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

        var dataDir = Environment.GetEnvironmentVariable("TOLLGATE_DATA_DIR") is { Length: > 0 } d ? d : "data";
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
}
