using System.Diagnostics;
using System.Text.Json.Nodes;
using Tollgate.Cli;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Cli;

/// <summary>What a newcomer meets first: every command's --help, unknown options, and the models listing.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CliCommandTests(GatewayFixture fx)
{
    [Theory]
    [InlineData("serve", "--help")]
    [InlineData("serve", "--port", "4999", "--help")]
    [InlineData("emulate", "--help")]
    [InlineData("models", "--help")]
    [InlineData("cost", "--help")]
    [InlineData("catalog", "import", "--help")]
    [InlineData("catalog", "update", "https://example.invalid/prices.json", "--help")]
    [InlineData("keys", "create", "--budget", "5", "--help")]
    [InlineData("usage", "-h")]
    public async Task Help_EveryCommand_PrintsItsUsageAndExitsWithoutDoingAnything(params string[] args)
    {
        var dir = fx.NewDataDirectory();
        Directory.Delete(dir);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var watch = Stopwatch.StartNew();

        var rc = await CliApp.RunAsync([.. args, "--data-dir", dir], output, error);

        Assert.Equal(0, rc);
        Assert.StartsWith("Usage: tollgate " + args[0], output.ToString().TrimStart(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());

        // Nothing was started or written: serve --help returns instead of serving, keys create --help makes no database.
        Assert.False(Directory.Exists(dir));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "a server seems to have started");
    }

    [Fact]
    public async Task Help_TopLevel_ListsEveryProviderVariable()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CliApp.RunAsync(["--help"], output, error));

        foreach (var variable in new[] { "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "GEMINI_API_KEY", "GEMINI_BASE_URL", "GROQ_API_KEY", "OLLAMA_BASE_URL", "TOLLGATE_DATA_DIR", "TOLLGATE_MASTER_KEY" })
        {
            Assert.Contains(variable, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("bogus", "models", "--bogus")]
    [InlineData("prot", "serve", "--prot", "4000")]
    [InlineData("bogus", "emulate", "--bogus")]
    [InlineData("bogus", "cost", "--model", "gpt-4o", "--input", "1", "--output", "1", "--bogus")]
    [InlineData("bogus", "keys", "list", "--bogus")]
    [InlineData("bogus", "usage", "--bogus")]
    public async Task UnknownOption_IsAnErrorNamingIt(string option, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var rc = await CliApp.RunAsync(args, output, error);

        Assert.Equal(2, rc);
        Assert.Contains("Unknown option --" + option, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortWithoutValue_IsAnError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await CliApp.RunAsync(["serve", "--port"], output, error));
        Assert.Contains("--port needs a value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsJson_SameDocumentAsTheModelsEndpoint()
    {
        // The CLI reads the same data directory (with the test catalog) as the fixture's gateway.
        var dir = fx.NewDataDirectory();
        TestCatalog.WriteTo(dir);
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CliApp.RunAsync(["models", "--json", "--data-dir", dir], output, error));
        var cli = JsonNode.Parse(output.ToString())!.AsObject();
        using var response = await fx.GetAsync("/v1/models");
        var api = (await E2E.JsonAsync(response)).AsObject();

        Assert.Equal("list", (string?)cli["object"]);
        var cliById = cli["data"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => m!);
        Assert.True(cliById.Count > 2_600, $"{cliById.Count} models");
        foreach (var model in api["data"]!.AsArray())
        {
            var id = (string)model!["id"]!;
            Assert.True(JsonNode.DeepEquals(model, cliById[id]), $"{id}: {model.ToJsonString()} != {cliById[id].ToJsonString()}");
        }

        // The CLI lists every provider's models, enabled or not.
        Assert.Contains("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", cliById.Keys);
        Assert.Contains("bedrock", cliById.Values.Select(m => (string?)m["owned_by"]));
    }

    [Fact]
    public async Task Models_Table_OneFormatForLimitsAndASourceColumn()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CliApp.RunAsync(["models", "--provider", "openai", "--data-dir", fx.NewDataDirectory()], output, error));
        var lines = output.ToString().Split('\n');
        var mini = lines.Single(l => l.StartsWith("openai/gpt-4o-mini ", StringComparison.Ordinal));
        var realtime = lines.Single(l => l.StartsWith("openai/gpt-realtime-2 ", StringComparison.Ordinal));

        // 128,000 and 16,384: whole numbers with separators, never 128K beside 131072.
        Assert.Matches(@"\s128,000\s+16,384\s", mini);
        Assert.Contains("000_8b2dea290987c8e8.txt 2026-02", mini, StringComparison.Ordinal);
        Assert.Matches(@"\s32,000\s+4,096\s", realtime);
        Assert.Contains("litellm-model-prices-2026-08.json 2026-08", realtime, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<=\s)\d+[KM]\s", output.ToString());
    }

    [Theory]
    // gpt-4o (openai's, though azure has one too): 800 x 2.5 / 1M = 0.002 + 200 x 1.25 / 1M = 0.00025 + 500 x 10 / 1M = 0.005.
    [InlineData("0.00725", "--model", "gpt-4o", "--input", "1000", "--cached", "200", "--output", "500")]
    // tts-1: 1.5e-05 per character x 4,321 = 0.064815.
    [InlineData("0.064815", "--model", "tts-1", "--characters", "4321")]
    // dall-e-3 hd 1024x1792: 6.539e-08 x 1,835,008 pixels = 0.11999117312 per image, x 2.
    [InlineData("0.23998234624", "--model", "openai/dall-e-3", "--images", "2", "--size", "1024x1792", "--quality", "hd")]
    // whisper-1: 0.0001 per second x 61.5 s.
    [InlineData("0.00615", "--model", "whisper-1", "--seconds", "61.5")]
    // perplexity/sonar-deep-research: 1,000 in x 2 / 1M = 0.002; 1,000 out x 8 / 1M = 0.008 + 4,000 reasoning x 3 / 1M = 0.012.
    [InlineData("0.022", "--model", "sonar-deep-research", "--input", "1000", "--output", "5000", "--reasoning", "4000")]
    public async Task Cost_TokensAndUnits_PricedAsTheGatewayWould(string expected, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CliApp.RunAsync(["cost", .. args, "--json", "--data-dir", fx.NewDataDirectory()], output, error));

        var cost = JsonNode.Parse(output.ToString())!;
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost["cost"]!.GetValue<decimal>());
        Assert.Empty(cost["unpriced"]!.AsArray());
    }

    [Fact]
    public async Task Cost_UnitTheModelHasNoPriceFor_IsNamed()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CliApp.RunAsync(["cost", "--model", "openai/gpt-4o", "--input", "1000", "--images", "1", "--data-dir", fx.NewDataDirectory()], output, error));

        Assert.Contains("Not priced (the model has no price for them, left out of the total): images.", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"total\s+1,000\s+\$0\.0025", output.ToString());
    }

    [Fact]
    public async Task CatalogSources_ListsEachLayerWithFileDateAndCount()
    {
        var dir = fx.NewDataDirectory();
        TestCatalog.WriteTo(dir);
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CliApp.RunAsync(["catalog", "sources", "--data-dir", dir], output, error));

        var lines = output.ToString().Split('\n');
        Assert.Matches(@"^local\s+\S+catalog\.local\.json\s+-\s+11\s", lines.Single(l => l.StartsWith("local", StringComparison.Ordinal)));
        Assert.Matches(@"^seed\s+000_8b2dea290987c8e8\.txt\s+2026-02\s+104\s", lines.First(l => l.StartsWith("seed", StringComparison.Ordinal)));
        Assert.Matches(@"^community\s+litellm-model-prices-2026-08\.json\s+2026-08\s+2,689\s+LiteLLM, MIT licence", lines.Single(l => l.StartsWith("community", StringComparison.Ordinal)));
        Assert.Contains("models in the combined catalog", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--port", "4999" }, new[] { "--urls", "http://127.0.0.1:4999" })]
    [InlineData(new[] { "--port=4999" }, new[] { "--urls", "http://127.0.0.1:4999" })]
    [InlineData(new[] { "--urls", "http://0.0.0.0:5000" }, new[] { "--urls", "http://0.0.0.0:5000" })]
    public void ServeArguments_PortAnywhere_BecomesTheListenAddress(string[] args, string[] expected)
    {
        var (hostArgs, config) = ServeCommand.HostArgs(args, "serve", defaultConfig: null);

        Assert.Equal(expected, hostArgs);
        Assert.Null(config);
    }

    [Theory]
    [InlineData("--port", "http")]
    [InlineData("--port", "70000")]
    [InlineData("--config", "/no/such/tollgate.json")]
    public void ServeArguments_Bad_AreErrors(string option, string value)
    {
        Assert.Throws<CliException>(() => ServeCommand.HostArgs([option, value], "serve", defaultConfig: null));
    }

    [Fact]
    public void ServeArguments_LogOptions_SetTheFormatAndTheRequestLines()
    {
        var options = ServeCommand.WithLogOptions(new GatewayOptions(), ["--port", "4999", "--log-format", "json", "--log-requests"]);

        Assert.Equal(LogFormat.Json, options.LogFormat);
        Assert.True(options.LogRequests);
        Assert.Equal(["--urls", "http://127.0.0.1:4999"], ServeCommand.HostArgs(["--log-format=json", "--port", "4999", "--log-requests"], "serve", defaultConfig: null).HostArgs);
        Assert.Equal(LogFormat.Text, ServeCommand.WithLogOptions(new GatewayOptions(), []).LogFormat);
        Assert.Throws<InvalidOperationException>(() => ServeCommand.WithLogOptions(new GatewayOptions(), ["--log-format", "xml"]));
    }
}
