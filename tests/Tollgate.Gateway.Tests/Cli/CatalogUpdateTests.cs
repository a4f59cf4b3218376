using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Tollgate.Cli;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Cli;

/// <summary>
/// <c>tollgate catalog update</c> on two real versions of LiteLLM's price file: the copy in ../shared/data and an
/// edited copy of it (one model removed, one added, one price changed), from a file and from a local HTTP server.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CatalogUpdateTests(GatewayFixture fx)
{
    private static readonly string s_realFile = FindRealFile();

    [Fact]
    public async Task Update_FromEditedCopy_PrintsTheDiffStoresItAndTheGatewayLoadsIt()
    {
        var dir = fx.NewDataDirectory();
        var v2 = WriteEditedCopy(fx.NewDataDirectory());

        // The real file is the one built in: updating to it changes nothing.
        var (rc0, same, _) = await RunAsync("catalog", "update", s_realFile, "--date", "2026-08-01", "--json", "--data-dir", dir);
        Assert.Equal(0, rc0);
        var sameDiff = JsonNode.Parse(same)!;
        Assert.Equal(0, (int)sameDiff["counts"]!["added"]!);
        Assert.Equal(0, (int)sameDiff["counts"]!["removed"]!);
        Assert.Equal(0, (int)sameDiff["counts"]!["changed_prices"]!);

        var (rc, json, progress) = await RunAsync("catalog", "update", v2, "--date", "2026-09-15", "--json", "--data-dir", dir);

        Assert.Equal(0, rc);
        Assert.Matches(@"\rReading " + System.Text.RegularExpressions.Regex.Escape(v2) + @": \d\.\d MB of \d\.\d MB.*\rReading .*: \d\.\d MB done\.", progress);
        var diff = JsonNode.Parse(json)!;
        Assert.Equal("litellm-prices-v2.json", (string?)diff["file"]);
        Assert.Equal("2026-09-15", (string?)diff["date"]);
        Assert.Equal(1, (int)diff["counts"]!["added"]!);
        Assert.Equal(1, (int)diff["counts"]!["removed"]!);
        Assert.Equal(1, (int)diff["counts"]!["changed_models"]!);
        Assert.Equal("openai/tollgate-test-model", (string?)diff["added"]![0]);
        Assert.Equal("anthropic/claude-3-haiku-20240307", (string?)diff["removed"]![0]);
        var change = Assert.Single(diff["changed"]!.AsArray())!;
        Assert.Equal("openai/gpt-4o", (string?)change["model"]);
        Assert.Equal("input", (string?)change["kind"]);
        Assert.Equal(2.5m, (decimal)change["old"]!);
        Assert.Equal(3m, (decimal)change["new"]!);

        // Stored: the gateway's catalog now has the new layer under the seed one, each entry with its source.
        var catalog = Tollgate.Gateway.GatewayHost.LoadCatalog(dir);
        var added = catalog.Find("openai", "tollgate-test-model");
        Assert.NotNull(added);
        Assert.Equal(1.25m, added.Prices.Input);
        Assert.Equal(10m, added.Prices.Output);
        Assert.Equal("litellm-prices-v2.json", added.Source?.File);
        Assert.Equal("2026-09-15", added.Source?.Date);
        Assert.Equal(ModelCatalog.Seed.Find("openai", "gpt-4o")!.Prices.Input, catalog.Find("openai", "gpt-4o")!.Prices.Input);

        var (rcSources, sources, _) = await RunAsync("catalog", "sources", "--data-dir", dir);
        Assert.Equal(0, rcSources);
        var community = sources.Split('\n').Single(l => l.StartsWith("community", StringComparison.Ordinal));
        Assert.Matches(@"^community\s+litellm-prices-v2\.json\s+2026-09-15\s+2,689\s+LiteLLM, MIT licence; tollgate catalog update", community);
    }

    [Fact]
    public async Task Update_FromLocalUrl_PrintsTheTable_AndDryRunStoresNothing()
    {
        var dir = fx.NewDataDirectory();
        var bytes = File.ReadAllBytes(WriteEditedCopy(fx.NewDataDirectory()));
        using var server = new FileServer(bytes);

        var (rcDry, dry, _) = await RunAsync("catalog", "update", server.Url + "prices/litellm-v2.json", "--dry-run", "--data-dir", dir);
        Assert.Equal(0, rcDry);
        Assert.Contains("Dry run: nothing was stored.", dry, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir));

        var (rc, text, progress) = await RunAsync("catalog", "update", server.Url + "prices/litellm-v2.json", "--data-dir", dir);

        Assert.Equal(0, rc);
        Assert.Matches(@"\rDownloading " + System.Text.RegularExpressions.Regex.Escape(server.Url) + @"prices/litellm-v2\.json: \d\.\d MB done\.", progress);
        Assert.Contains("1 added, 1 removed, 1 with changed prices (1 prices).", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^openai/tollgate-test-model\s+chat\s+1\.25\s+10$", text);
        Assert.Matches(@"(?m)^anthropic/claude-3-haiku-20240307\s+chat\s+0\.25\s+1\.25$", text);
        Assert.Matches(@"(?m)^openai/gpt-4o\s+input\s+2\.5\s+3$", text);
        Assert.Equal("litellm-v2.json", CommunityUpdate.Find(dir)!.File);
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), CommunityUpdate.Find(dir)!.Date);
    }

    [Fact]
    public async Task Update_BadSources_AreClearErrorsWithExitOne_AndLeaveTheLayerAlone()
    {
        var dir = fx.NewDataDirectory();
        var scratch = fx.NewDataDirectory();
        var notJson = Path.Combine(scratch, "prices.json");
        File.WriteAllText(notJson, "<html>not json</html>");
        var wrongShape = Path.Combine(scratch, "other.json");
        File.WriteAllText(wrongShape, """{"name": "something", "items": [1, 2]}""");
        using var server = new FileServer([]);
        var port = FreePort();

        foreach (var (source, message) in new[]
        {
            (notJson, "is not a LiteLLM price file: prices.json is not valid JSON"),
            (wrongShape, "is not a LiteLLM price file: it holds no model entries"),
            (Path.Combine(scratch, "missing.json"), "does not exist"),
            (server.Url + "missing.json", "answered 404"),
            ($"http://127.0.0.1:{port}/prices.json", "could not be reached"),
        })
        {
            var (rc, _, error) = await RunAsync("catalog", "update", source, "--data-dir", dir);

            Assert.Equal(1, rc);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Assert.Null(CommunityUpdate.Find(dir));
        }
    }

    private static async Task<(int Rc, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var rc = await CliApp.RunAsync(args, output, error);
        return (rc, output.ToString(), error.ToString());
    }

    /// <summary>The real file with claude-3-haiku removed, a model added and gpt-4o's input price raised to $3 / 1M.</summary>
    private static string WriteEditedCopy(string dir)
    {
        var root = JsonNode.Parse(File.ReadAllText(s_realFile))!.AsObject();
        Assert.True(root.Remove("claude-3-haiku-20240307"));
        root["gpt-4o"]!["input_cost_per_token"] = JsonValue.Create(3e-06m);
        root["tollgate-test-model"] = JsonNode.Parse("""
            {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000, "max_output_tokens": 16384,
             "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05}
            """);
        var path = Path.Combine(dir, "litellm-prices-v2.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (taken and released).</summary>
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string FindRealFile()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(d.FullName, "shared", "data"), Path.Combine(d.FullName, "..", "shared", "data") })
            {
                var file = Path.Combine(candidate, "litellm-model-prices-2026-08.json");
                if (File.Exists(file))
                {
                    return Path.GetFullPath(file);
                }
            }
        }

        throw new FileNotFoundException("../shared/data/litellm-model-prices-2026-08.json was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Serves one file at any path but <c>/missing.json</c> on 127.0.0.1, stopped when disposed.</summary>
    private sealed class FileServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public FileServer(byte[] body)
        {
            Url = $"http://127.0.0.1:{FreePort()}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    using var response = context.Response;
                    if (context.Request.Url!.AbsolutePath == "/missing.json")
                    {
                        response.StatusCode = 404;
                        continue;
                    }

                    response.ContentType = "application/json";
                    response.ContentLength64 = body.Length;
                    await response.OutputStream.WriteAsync(body);
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
    }
}
