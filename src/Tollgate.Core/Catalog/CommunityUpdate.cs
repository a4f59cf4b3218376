using System.Text.Json;

namespace Tollgate.Core.Catalog;

/// <summary>
/// A community layer stored in the data directory by <c>tollgate catalog update</c>: the LiteLLM price file as
/// fetched (<see cref="DataFile"/>) and where it came from (<see cref="SourceFile"/>: its file name and date). When
/// present it replaces the built-in community layer under the seed layer; the file is kept as LiteLLM wrote it so a
/// newer importer reads it afresh.
/// </summary>
public sealed record CommunityUpdate
{
    /// <summary>The stored LiteLLM price file, in the data directory.</summary>
    public const string DataFile = "catalog.community.json";

    /// <summary>The stored file's original name and date, in the data directory.</summary>
    public const string SourceFile = "catalog.community.source.json";

    /// <summary>The original file's name (the last segment of its path or URL), as recorded in its entries.</summary>
    public required string File { get; init; }

    /// <summary>When the file was taken, <c>YYYY-MM-DD</c>.</summary>
    public required string Date { get; init; }

    /// <summary>The stored update of <paramref name="dataDirectory"/>, or null when it holds none.</summary>
    public static CommunityUpdate? Find(string dataDirectory)
    {
        var source = Path.Combine(dataDirectory, SourceFile);
        if (!System.IO.File.Exists(source) || !System.IO.File.Exists(Path.Combine(dataDirectory, DataFile)))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(source));
        var root = doc.RootElement;
        return new CommunityUpdate
        {
            File = root.GetProperty("file").GetString() ?? DataFile,
            Date = root.GetProperty("date").GetString() ?? "-",
        };
    }

    /// <summary>The stored update's import.</summary>
    public LiteLlmImportResult Import(string dataDirectory)
    {
        using var stream = System.IO.File.OpenRead(Path.Combine(dataDirectory, DataFile));
        return LiteLlmImporter.Import(stream, File, Date);
    }

    /// <summary>
    /// Moves <paramref name="downloadedFile"/> into <paramref name="dataDirectory"/> as the stored update and records
    /// this update's name and date beside it. The source record is written last, so a half-stored update is never read.
    /// </summary>
    public void Store(string dataDirectory, string downloadedFile)
    {
        Directory.CreateDirectory(dataDirectory);
        var source = Path.Combine(dataDirectory, SourceFile);
        System.IO.File.Delete(source);
        System.IO.File.Move(downloadedFile, Path.Combine(dataDirectory, DataFile), overwrite: true);
        var tmp = source + ".tmp";
        using (var stream = System.IO.File.Create(tmp))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("file", File);
            writer.WriteString("date", Date);
            writer.WriteEndObject();
        }

        System.IO.File.Move(tmp, source, overwrite: true);
    }

    /// <summary>
    /// The catalog shipped inside Tollgate with <paramref name="dataDirectory"/>'s stored update, if any, as its
    /// community layer: the seed layer over the update, else <see cref="ModelCatalog.BuiltIn"/>.
    /// </summary>
    public static ModelCatalog BuiltInWithUpdate(string dataDirectory)
    {
        if (Find(dataDirectory) is not { } update)
        {
            return ModelCatalog.BuiltIn;
        }

        return ModelCatalog.Deferred(() => CatalogLayers.Combine(CatalogLayers.Seed, update.Import(dataDirectory).Models)).Preload();
    }
}
