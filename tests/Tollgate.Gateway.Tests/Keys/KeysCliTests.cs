using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Cli;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class KeysCliTests
{
    [Fact]
    public async Task KeysCreate_WhileGatewayRuns_KeyWorksWithinPollInterval()
    {
        await using var gw = await KeysGateway.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var rc = await CliApp.RunAsync(["keys", "create", "--name", "cli", "--rpm", "5", "--data-dir", gw.DataDir], output, error);
        var key = Regex.Match(output.ToString(), @"tg-[A-Za-z0-9]{40}").Value;

        Assert.Equal(0, rc);
        Assert.NotEmpty(key);
        var status = HttpStatusCode.Unauthorized;
        for (var i = 0; i < 50 && status != HttpStatusCode.OK; i++)
        {
            using var chat = await gw.ChatAsync(key);
            status = chat.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task KeysListAndUsage_AfterRequests_PrintTables()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "report", limit = new { retention = "month", threshold = 10 } });
        using (var chat = await gw.ChatAsync(created.GetProperty("key").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        // The CLI reads the database file itself, and the running gateway stores a journaled entry within
        // LedgerQueue.JournaledGather of its request: wait for the store, as the gateway's own reports do.
        await gw.Services.GetRequiredService<ILedger>().FlushAsync();
        using var list = new StringWriter();
        using var usage = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["keys", "list", "--data-dir", gw.DataDir], list, error));
        Assert.Equal(0, await CliApp.RunAsync(["usage", "--group-by", "key", "--data-dir", gw.DataDir], usage, error));

        var prefix = created.GetProperty("prefix").GetString()!;
        var keyRow = list.ToString().Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));

        // One "Hello" request: 9 × $0.001 + 2 × $0.002 = $0.013 this month, of a $10 monthly budget.
        Assert.Matches(@"report\s+active\s+\$10\s+month\s+\$0\.013", keyRow);
        var usageRow = usage.ToString().Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Matches(@"^\S+\s+1\s+0\s+9\s+0\s+0\s+2\s+0\s+\$0\.013$", usageRow.TrimEnd());
    }

    [Fact]
    public async Task KeysCreate_BadRetention_FailsWithMessage()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys-cli-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var rc = await CliApp.RunAsync(["keys", "create", "--retention", "year", "--data-dir", dir], output, error);

        Assert.Equal(2, rc);
        Assert.Contains("retention must be day, week, month or no_reset", error.ToString(), StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task KeysCreateAndUpdate_Clamp_StoredAsTheApiStoresIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys-cli-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var rc = await CliApp.RunAsync(["keys", "create", "--budget", "1", "--retention", "month", "--clamp", "off", "--json", "--data-dir", dir], output, error);
        var created = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement;
        var prefix = created.GetProperty("prefix").GetString()!;
        var rc2 = await CliApp.RunAsync(["keys", "update", prefix, "--clamp-min-output", "2000", "--data-dir", dir], new StringWriter(), error);
        using var updated = new StringWriter();
        await CliApp.RunAsync(["keys", "list", "--json", "--data-dir", dir], updated, error);
        using var bad = new StringWriter();
        var rc3 = await CliApp.RunAsync(["keys", "update", prefix, "--clamp", "maybe", "--data-dir", dir], bad, error);

        Assert.Equal((0, 0, 2), (rc, rc2, rc3));
        Assert.False(created.GetProperty("limit").GetProperty("clamp").GetBoolean());
        var limit = System.Text.Json.JsonDocument.Parse(updated.ToString()).RootElement.EnumerateArray().Single(k => k.GetProperty("prefix").GetString() == prefix).GetProperty("limit");
        Assert.True(limit.GetProperty("clamp").GetBoolean());
        Assert.Equal(2000, limit.GetProperty("clamp_min_output").GetInt64());
        Assert.Contains("--clamp must be on or off", error.ToString(), StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task KeysCreate_BudgetWithoutRetention_IsAnErrorThatNamesTheChoices()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys-cli-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var rc = await CliApp.RunAsync(["keys", "create", "--budget", "5", "--data-dir", dir], output, error);

        Assert.Equal(2, rc);
        Assert.Contains("--budget 5 needs --retention", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("no_reset (a lifetime budget)", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
        if (Directory.Exists(dir))
        {
            // Nothing was created in it.
            using var list = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["keys", "list", "--data-dir", dir], list, error));
            Assert.Contains("0 keys", list.ToString(), StringComparison.Ordinal);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task KeysBudget_WithRetentionOrOnAKeyThatHasOne_IsAccepted()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys-cli-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Assert.Equal(0, await CliApp.RunAsync(["keys", "create", "--name", "b", "--budget", "5", "--retention", "month", "--data-dir", dir], output, error));
            var prefix = Regex.Match(output.ToString(), @"Created key (\S+)").Groups[1].Value;
            Assert.Matches(@"b\s+active\s+\$5\s+month", output.ToString());

            // The key has a monthly budget: changing the amount keeps the period.
            using var updated = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["keys", "update", prefix, "--budget", "7", "--data-dir", dir], updated, error));
            Assert.Matches(@"b\s+active\s+\$7\s+month", updated.ToString());

            // A key without a budget gets one only with its period.
            using var plain = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["keys", "create", "--name", "p", "--data-dir", dir], plain, error));
            var plainPrefix = Regex.Match(plain.ToString(), @"Created key (\S+)").Groups[1].Value;
            using var refused = new StringWriter();
            Assert.Equal(2, await CliApp.RunAsync(["keys", "update", plainPrefix, "--budget", "3", "--data-dir", dir], plain, refused));
            Assert.Contains("needs --retention", refused.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
