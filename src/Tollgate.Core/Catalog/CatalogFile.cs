using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Core.Catalog;

/// <summary>Reads and writes Tollgate's own catalog format: <c>{"models":[...]}</c> in snake_case.</summary>
public static class CatalogFile
{
    public static IReadOnlyList<ModelEntry> Read(Stream stream)
    {
        var doc = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.CatalogDocument)
            ?? throw new InvalidDataException("The catalog file is empty.");

        // The source-generated reader sets every init-only property, so an entry without "aliases" or
        // "capabilities" comes back with null lists rather than the empty defaults.
        return doc.Models.Select(m => m with { Aliases = m.Aliases ?? [], Capabilities = m.Capabilities ?? [] }).ToList();
    }

    public static IReadOnlyList<ModelEntry> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static void Write(string path, IEnumerable<ModelEntry> models)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
        {
            JsonSerializer.Serialize(stream, new CatalogDocument { Models = models.ToList() }, CatalogJsonContext.Default.CatalogDocument);
        }

        File.Move(tmp, path, overwrite: true);
    }
}

public sealed record CatalogDocument
{
    public List<ModelEntry> Models { get; init; } = [];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
