using System.Globalization;
using System.Text.Json;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;

namespace Tollgate.Cli;

/// <summary>
/// <c>tollgate catalog update FILE-or-URL</c>: replaces the community layer with a newer LiteLLM price file, stored
/// in the data directory (<see cref="CommunityUpdate"/>), and prints what changed against the layer it replaces.
/// </summary>
internal static class CatalogUpdateCommand
{
    /// <summary>How many changed-price rows the table prints before it says how many more there are.</summary>
    private const int MaxRows = 200;

    /// <summary>How often the progress line is rewritten while the file is copied.</summary>
    private const long ProgressStep = 1 << 20;

    public static async Task<int> RunAsync(CliArgs a, string location, string dataDir, TextWriter output, TextWriter error)
    {
        var isUrl = Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        if (!isUrl && !File.Exists(location))
        {
            throw new InvalidOperationException($"The file '{location}' does not exist (give a path or an http(s) URL).");
        }

        var name = isUrl ? Path.GetFileName(uri!.AbsolutePath) is { Length: > 0 } n ? n : uri.Host : Path.GetFileName(location);
        // A dry run writes nothing to the data directory; a real one downloads beside the stored file, to move it in.
        var dryRun = a.Has("dry-run");
        if (!dryRun)
        {
            Directory.CreateDirectory(dataDir);
        }

        var download = dryRun ? Path.GetTempFileName() : Path.Combine(dataDir, CommunityUpdate.DataFile + ".download");
        try
        {
            var taken = isUrl
                ? await DownloadAsync(uri!, download, error).ConfigureAwait(false)
                : await CopyAsync(location, download, error).ConfigureAwait(false);
            var update = new CommunityUpdate { File = name, Date = a.Get("date") ?? taken.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
            var result = Import(download, update, location);

            var current = CommunityUpdate.Find(dataDir);
            var before = current is null ? CatalogLayers.Community.Models : current.Import(dataDir).Models;
            var beforeName = current is null ? $"{CatalogLayers.CommunityFile} ({CatalogLayers.CommunityDate}, built in)" : $"{current.File} ({current.Date})";
            var diff = CatalogDiff.Between(before, result.Models);
            if (!dryRun)
            {
                update.Store(dataDir, download);
            }

            if (a.Has("json"))
            {
                WriteJson(output, diff, beforeName, update, result, dryRun);
            }
            else
            {
                WriteText(output, diff, beforeName, update, result, dryRun, Path.Combine(dataDir, CommunityUpdate.DataFile));
            }

            return 0;
        }
        finally
        {
            File.Delete(download);
        }
    }

    private static LiteLlmImportResult Import(string path, CommunityUpdate update, string location)
    {
        LiteLlmImportResult result;
        try
        {
            using var stream = File.OpenRead(path);
            result = LiteLlmImporter.Import(stream, update.File, update.Date);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidOperationException($"'{location}' is not a LiteLLM price file: {ex.Message}", ex);
        }

        if (result.Imported == 0)
        {
            throw new InvalidOperationException(
                $"'{location}' is not a LiteLLM price file: it holds no model entries with a litellm_provider and prices ({result.Bad.Count} malformed, {result.Skipped} skipped). The community layer is unchanged.");
        }

        return result;
    }

    private static async Task<DateTimeOffset> DownloadAsync(Uri uri, string target, TextWriter error)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}. The community layer is unchanged.");
            }

            var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await CopyWithProgressAsync(source, target, response.Content.Headers.ContentLength, "Downloading " + uri, error).ConfigureAwait(false);
            }

            return response.Content.Headers.LastModified ?? DateTimeOffset.UtcNow;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException($"{uri} could not be reached: {ex.Message}. The community layer is unchanged.", ex);
        }
    }

    private static async Task<DateTimeOffset> CopyAsync(string path, string target, TextWriter error)
    {
        var source = File.OpenRead(path);
        await using (source.ConfigureAwait(false))
        {
            await CopyWithProgressAsync(source, target, source.Length, "Reading " + path, error).ConfigureAwait(false);
        }

        return File.GetLastWriteTimeUtc(path);
    }

    /// <summary>Copies while rewriting one progress line on stderr (carriage return, no new line until done).</summary>
    private static async Task CopyWithProgressAsync(Stream source, string target, long? length, string what, TextWriter error)
    {
        var file = File.Create(target);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long copied = 0, nextReport = 0;
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                copied += read;
                if (copied >= nextReport)
                {
                    await error.WriteAsync($"\r{what}: {Megabytes(copied)}{(length is { } l ? " of " + Megabytes(l) : "")}").ConfigureAwait(false);
                    nextReport = copied + ProgressStep;
                }
            }

            await error.WriteLineAsync($"\r{what}: {Megabytes(copied)} done.").ConfigureAwait(false);
        }
    }

    private static string Megabytes(long bytes) => (bytes / 1_048_576m).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static void WriteText(TextWriter output, CatalogDiff diff, string beforeName, CommunityUpdate update, LiteLlmImportResult result, bool dryRun, string storedPath)
    {
        output.WriteLine($"{update.File} ({update.Date}): {Format.Count(result.Imported)} models, against {beforeName}.");
        output.WriteLine($"{diff.Added.Count} added, {diff.Removed.Count} removed, {diff.ChangedModels} with changed prices ({diff.Changed.Count} prices).");
        WriteModels(output, "ADDED", diff.Added);
        WriteModels(output, "REMOVED", diff.Removed);
        if (diff.Changed.Count > 0)
        {
            output.WriteLine();
            var table = new TextTable("CHANGED", "PRICE (USD / 1M tokens)", "OLD", "NEW").RightAlign(2, 3);
            foreach (var c in diff.Changed.Take(MaxRows))
            {
                table.Add(c.Model, c.Kind, Format.Price(c.Old), Format.Price(c.New));
            }

            table.Write(output);
            More(output, diff.Changed.Count);
        }

        output.WriteLine();
        output.WriteLine(dryRun
            ? "Dry run: nothing was stored."
            : $"Stored as {storedPath}; the gateway loads it as the community layer at its next start.");
    }

    private static void WriteModels(TextWriter output, string header, IReadOnlyList<ModelEntry> models)
    {
        if (models.Count == 0)
        {
            return;
        }

        output.WriteLine();
        var table = new TextTable(header, "MODE", "INPUT", "OUTPUT").RightAlign(2, 3);
        foreach (var m in models.Take(MaxRows))
        {
            table.Add(m.Id, m.Mode, Format.Price(m.Prices.Input), Format.Price(m.Prices.Output));
        }

        table.Write(output);
        More(output, models.Count);
    }

    private static void More(TextWriter output, int count)
    {
        if (count > MaxRows)
        {
            output.WriteLine($"... and {Format.Count(count - MaxRows)} more (--json lists them all)");
        }
    }

    private static void WriteJson(TextWriter output, CatalogDiff diff, string beforeName, CommunityUpdate update, LiteLlmImportResult result, bool dryRun) =>
        KeysCommand.WriteJson(output, w =>
        {
            w.WriteStartObject();
            w.WriteString("file", update.File);
            w.WriteString("date", update.Date);
            w.WriteNumber("models", result.Imported);
            w.WriteString("replaces", beforeName);
            w.WriteBoolean("dry_run", dryRun);
            w.WriteStartObject("counts");
            w.WriteNumber("added", diff.Added.Count);
            w.WriteNumber("removed", diff.Removed.Count);
            w.WriteNumber("changed_models", diff.ChangedModels);
            w.WriteNumber("changed_prices", diff.Changed.Count);
            w.WriteEndObject();
            WriteIds(w, "added", diff.Added);
            WriteIds(w, "removed", diff.Removed);
            w.WriteStartArray("changed");
            foreach (var c in diff.Changed)
            {
                w.WriteStartObject();
                w.WriteString("model", c.Model);
                w.WriteString("kind", c.Kind);
                WritePrice(w, "old", c.Old);
                WritePrice(w, "new", c.New);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteIds(Utf8JsonWriter w, string name, IReadOnlyList<ModelEntry> models)
    {
        w.WriteStartArray(name);
        foreach (var m in models)
        {
            w.WriteStringValue(m.Id);
        }

        w.WriteEndArray();
    }

    private static void WritePrice(Utf8JsonWriter w, string name, decimal? price)
    {
        if (price is { } p)
        {
            w.WriteNumber(name, Money.Normalize(p));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
