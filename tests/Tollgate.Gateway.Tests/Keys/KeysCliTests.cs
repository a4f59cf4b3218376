using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Cli;

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
}
