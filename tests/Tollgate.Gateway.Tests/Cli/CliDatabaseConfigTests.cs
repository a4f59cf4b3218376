using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Cli;
using Tollgate.Gateway.Tests.Keys;
using Tollgate.Gateway.Tests.SharedState;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Cli;

/// <summary>
/// The CLI reads the gateway's settings as the gateway does: a <c>database_url</c> in tollgate.json puts
/// <c>tollgate keys</c>, <c>tollgate usage</c> and <c>tollgate db</c> on the server's PostgreSQL (the test server of
/// ./test.sh), not on a SQLite file of their own.
/// </summary>
public sealed class CliDatabaseConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-cli-config-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task KeysUsageAndDb_DatabaseUrlInTollgateJson_SeeTheGatewaysPostgres()
    {
        var database = await SharedServers.NewDatabaseAsync();
        await using var gw = await KeysGateway.StartAsync(configure: o => o with { DatabaseUrl = database });
        var created = await gw.CreateKeyAsync(new { name = "on-postgres", limit = new { retention = "month", threshold = 10 } });
        using (var chat = await gw.ChatAsync(created.GetProperty("key").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        // The CLI's own data directory is elsewhere and empty: only the file's database_url can lead it to the key.
        var cliData = Path.Combine(_dir, "cli-data");
        var config = Path.Combine(_dir, "tollgate.json");
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, string> { ["data_dir"] = cliData, ["database_url"] = database }));

        // The CLI reads PostgreSQL itself, and the gateway stores a journaled entry within LedgerQueue.JournaledGather
        // of its request: wait for the store, as the gateway's own reports do.
        await gw.Services.GetRequiredService<ILedger>().FlushAsync();
        var prefix = created.GetProperty("prefix").GetString()!;
        var (rc, list) = await RunAsync("keys", "list", "--config", config);
        Assert.Equal(0, rc);
        Assert.Matches(@"on-postgres\s+active\s+\$10\s+month\s+\$0\.013", list.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)));

        (rc, var usage) = await RunAsync("usage", "--group-by", "key", "--config", config);
        Assert.Equal(0, rc);
        Assert.Matches(@"^\S+\s+1\s+0\s+9\s+0\s+0\s+2\s+0\s+\$0\.013$", usage.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).TrimEnd());

        // A key made by the CLI is the gateway's too.
        (rc, var made) = await RunAsync("keys", "create", "--name", "from-cli", "--json", "--config", config);
        Assert.Equal(0, rc);
        var madePrefix = JsonDocument.Parse(made).RootElement.GetProperty("prefix").GetString();
        using (var keys = await gw.SendAsync(HttpMethod.Get, "/v1/keys", KeysGateway.Master))
        {
            var names = JsonDocument.Parse(await keys.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray()
                .ToDictionary(k => k.GetProperty("prefix").GetString()!, k => k.GetProperty("name").GetString());
            Assert.Equal("from-cli", names[madePrefix!]);
        }

        (rc, var db) = await RunAsync("db", "status", "--config", config);
        Assert.Equal(0, rc);
        Assert.Contains("applied 0001", db, StringComparison.Ordinal);
        Assert.DoesNotContain("pending", db, StringComparison.Ordinal);

        // Nothing went to a SQLite file of the CLI's.
        Assert.False(File.Exists(Path.Combine(cliData, "tollgate.db")));
    }

    [Fact]
    public async Task Db_NoDatabaseAnywhere_SaysWhereOneIsNamed()
    {
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "tollgate.json");
        await File.WriteAllTextAsync(config, "{}");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var rc = await CliApp.RunAsync(["db", "migrate", "--config", config], output, error);

        Assert.NotEqual(0, rc);
        Assert.Contains("database_url in tollgate.json", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Rc, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var rc = await CliApp.RunAsync(args, output, error);
        return (rc, output + error.ToString());
    }
}
