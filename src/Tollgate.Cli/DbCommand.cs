using System.Globalization;
using Tollgate.Storage.Postgres.Migrations;

namespace Tollgate.Cli;

/// <summary><c>tollgate db migrate|status</c>: the PostgreSQL schema's versions (the gateway also migrates at start).</summary>
internal static class DbCommand
{
    public const string DbUsage = """
        Usage:
          tollgate db migrate [--database-url URL] [--config FILE]   applies the migrations the database lacks
          tollgate db status [--database-url URL] [--config FILE]    lists applied and pending versions
        The URL defaults to TOLLGATE_DATABASE_URL, else database_url in tollgate.json (--config FILE, else ./tollgate.json),
        as the gateway reads them (postgres://user:pass@host:port/db or an Npgsql connection string).
        SQLite needs neither: the gateway keeps its own file up to date.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, "db", new HashSet<string>(), new HashSet<string> { "database-url", "config" });
        if (a.Positional.Count != 1 || a.Positional[0] is not ("migrate" or "status"))
        {
            throw new CliException(DbUsage);
        }

        var url = CliStorage.Locate(a).DatabaseUrl ?? throw new CliException("No database: set TOLLGATE_DATABASE_URL, database_url in tollgate.json, or pass --database-url.\n" + DbUsage);
        await using var database = CliStorage.Open(url);
        output.WriteLine($"Database: {database.Display}");
        if (a.Positional[0] == "migrate")
        {
            var applied = await database.MigrateAsync().ConfigureAwait(false);
            foreach (var m in applied)
            {
                output.WriteLine($"  applied {Version(m.Version)} {m.Name}");
            }

            output.WriteLine(applied.Count == 0 ? $"Up to date at version {Version(Migration.All[^1].Version)}." : $"Now at version {Version(Migration.All[^1].Version)}.");
            return 0;
        }

        var done = (await database.AppliedAsync().ConfigureAwait(false)).ToHashSet();
        foreach (var m in Migration.All)
        {
            output.WriteLine($"  {(done.Contains(m.Version) ? "applied" : "pending")} {Version(m.Version)} {m.Name}");
        }

        return 0;
    }

    private static string Version(int v) => v.ToString("0000", CultureInfo.InvariantCulture);
}
