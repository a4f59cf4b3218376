using System.Globalization;

namespace Tollgate.Storage.Postgres.Migrations;

/// <summary>One versioned schema change: an embedded <c>NNNN_name.sql</c> file, applied once, in order, in its own transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>Every migration shipped with this build, oldest first.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    private static Migration[] Load()
    {
        const string prefix = "Tollgate.Storage.Postgres.Migrations.";
        var assembly = typeof(Migration).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(static n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^".sql".Length];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new Migration(int.Parse(file[..underscore], CultureInfo.InvariantCulture), file[(underscore + 1)..], reader.ReadToEnd());
            })
            .OrderBy(static m => m.Version)
            .ToArray();
    }
}
