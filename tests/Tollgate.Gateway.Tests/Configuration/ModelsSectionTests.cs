using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Configuration;

public sealed class ModelsSectionTests
{
    private const string IssueExample = """
        {
          "providers": {
            "groq-free": { "base_url": "https://api.groq.com/openai/v1", "api_key_env": "GROQ_FREE_KEY", "free": true, "limits": { "rpm": 30, "tpd": 500000 } },
            "openai": {}
          },
          "models": {
            "fast": {
              "strategy": "priority",
              "deployments": [
                { "provider": "groq-free", "model": "llama-3.3-70b-versatile" },
                { "provider": "openai", "model": "gpt-4o-mini", "weight": 1 }
              ],
              "fallbacks": ["smart"],
              "context_fallbacks": ["long"]
            },
            "smart": { "strategy": "least_busy", "deployments": [{ "provider": "openai", "model": "gpt-4o", "weight": 3 }], "aliases": ["clever", "bright"] },
            "long": { "strategy": "free_first", "deployments": [{ "provider": "gemini", "model": "gemini-2.5-flash" }] },
            "claude-opus-5-5": {
              "deployments": [{ "provider": "anthropic", "model": "claude-opus-5-5" }],
              "prices": { "input": 5, "cached_input": 0.5, "cache_write_5m": 6.25, "cache_write_1h": 10, "output": 25 },
              "context_window": 200000, "max_output": 64000
            }
          },
          "routing": { "retries": 2, "backoff_ms": 100, "max_backoff_ms": 5000, "breaker": { "failures": 5, "window_s": 30, "open_s": 30 }, "first_byte_timeout_s": 60, "idle_timeout_s": 120 }
        }
        """;

    [Fact]
    public void Load_IssueExample_ReadsProvidersGroupsAndRouting()
    {
        var options = ConfigFile.Load(IssueExample, new() { ["GROQ_FREE_KEY"] = "gsk-free", ["OPENAI_API_KEY"] = "sk-1" });

        var groq = Assert.Single(options.Providers, p => p.Id == "groq-free");
        Assert.True(groq.Free);
        Assert.Equal("gsk-free", groq.ApiKey);
        Assert.Equal(new ProviderLimits { RequestsPerMinute = 30, TokensPerDay = 500000 }, groq.Limits);
        Assert.False(Assert.Single(options.Providers, p => p.Id == "openai").Free);

        Assert.Equal(["fast", "smart", "long", "claude-opus-5-5"], options.Models.Select(m => m.Name));
        var fast = options.Models[0];
        Assert.Equal(RoutingStrategyKind.Priority, fast.Strategy);
        Assert.Equal(new DeploymentSettings { Provider = "groq-free", Model = "llama-3.3-70b-versatile", Weight = 1 }, fast.Deployments[0]);
        Assert.Equal("gpt-4o-mini", fast.Deployments[1].Model);
        Assert.Equal(["smart"], fast.Fallbacks);
        Assert.Equal(["long"], fast.ContextFallbacks);
        Assert.Equal(RoutingStrategyKind.LeastBusy, options.Models[1].Strategy);
        Assert.Equal(3, options.Models[1].Deployments[0].Weight);
        Assert.Equal(["clever", "bright"], options.Models[1].Aliases);
        Assert.Equal(RoutingStrategyKind.FreeFirst, options.Models[2].Strategy);

        var opus = options.Models[3];
        Assert.Equal(5m, opus.Prices!.Input);
        Assert.Equal(0.5m, opus.Prices.CachedInput);
        Assert.Equal(6.25m, opus.Prices.CacheWrite5m);
        Assert.Equal(10m, opus.Prices.CacheWrite1h);
        Assert.Equal(25m, opus.Prices.Output);
        Assert.Equal(200000, opus.ContextWindow);
        Assert.Equal(64000, opus.MaxOutput);

        Assert.Equal(new RoutingOptions(), options.Routing);
    }

    [Fact]
    public void Load_NoModelsOrRouting_Defaults()
    {
        var options = ConfigFile.Load("""{"providers": {"openai": {"api_key": "sk-1"}}}""");

        Assert.Empty(options.Models);
        Assert.Equal(2, options.Routing.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.Routing.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Routing.MaxBackoff);
        Assert.Equal(5, options.Routing.Breaker.Failures);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Routing.Breaker.Window);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Routing.Breaker.Open);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Routing.FirstByteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), options.Routing.IdleTimeout);
        Assert.Null(Assert.Single(options.Providers).Limits);
    }

    [Fact]
    public void Load_PricesWithLongContextAndTiers_ReadsExactDecimals()
    {
        var options = ConfigFile.Load("""
            {"models": {"m": {"deployments": [{"provider": "demo", "model": "new-model"}],
              "prices": {"input": 0.0000001, "output": 12.345678901234567890,
                         "batch": {"input": 1.25, "output": 5},
                         "long_context": {"threshold_tokens": 200000, "input": 6, "output": 22.5}}}}}
            """);

        var prices = options.Models[0].Prices!;
        Assert.Equal(0.0000001m, prices.Input);
        Assert.Equal(12.345678901234567890m, prices.Output);
        Assert.Equal(1.25m, prices.Batch!.Input);
        Assert.Equal(200000, prices.LongContext!.ThresholdTokens);
        Assert.Equal(22.5m, prices.LongContext.Output);
    }

    [Fact]
    public void Load_FallbackCycle_Accepted()
    {
        var options = ConfigFile.Load("""
            {"models": {"a": {"deployments": [{"provider": "demo", "model": "x"}], "fallbacks": ["b"]},
                        "b": {"deployments": [{"provider": "demo", "model": "y"}], "fallbacks": ["a", "demo/z"]}}}
            """);

        Assert.Equal(["a", "demo/z"], options.Models[1].Fallbacks);
    }

    [Fact]
    public void Load_DemoDeploymentWhileOtherProvidersConfigured_Accepted()
    {
        var options = ConfigFile.Load("""{"providers": {"local": {"base_url": "http://127.0.0.1:9"}}, "models": {"m": {"deployments": [{"provider": "demo", "model": "echo"}]}}}""");

        Assert.DoesNotContain(options.Providers, p => p.Id == "demo");
        Assert.Equal("demo", options.Models[0].Deployments[0].Provider);
    }

    [Fact]
    public void Load_DeploymentOnKnownProviderWithoutKey_Accepted()
    {
        // Anthropic has no key here: the deployment is skipped at run time rather than failing start-up.
        var options = ConfigFile.Load("""{"models": {"m": {"deployments": [{"provider": "anthropic", "model": "claude-sonnet-4-5"}]}}}""");

        Assert.Equal("anthropic", options.Models[0].Deployments[0].Provider);
    }

    [Theory]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}, {"provider": "x", "model": "b"}]}}}""",
        "tollgate.json: models.fast.deployments[1].provider: unknown provider 'x'")]
    [InlineData("""{"models": {"fast": {"strategy": "fastest", "deployments": [{"provider": "demo", "model": "a"}]}}}""",
        "tollgate.json: models.fast.strategy: unknown strategy 'fastest' (known: priority, weighted, least_busy, latency, cost, free_first)")]
    [InlineData("""{"models": {"fast": {"deployments": []}}}""",
        "tollgate.json: models.fast.deployments: needs at least one deployment")]
    [InlineData("""{"models": {"fast": {"strategy": "priority"}}}""",
        "tollgate.json: models.fast.deployments: is required: at least one { \"provider\": ..., \"model\": ... }")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo"}]}}}""",
        "tollgate.json: models.fast.deployments[0].model: must be a non-empty string")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a", "weight": 0}]}}}""",
        "tollgate.json: models.fast.deployments[0].weight: must be 1 or more, not 0")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a", "weight": 1.5}]}}}""",
        "tollgate.json: models.fast.deployments[0].weight: must be a whole number")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "fallbacks": ["smart"]}}}""",
        "tollgate.json: models.fast.fallbacks[0]: 'smart' is neither a model group, an alias of one, nor provider/model with a known provider")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "context_fallbacks": ["nowhere/long"]}}}""",
        "tollgate.json: models.fast.context_fallbacks[0]: 'nowhere/long' is neither a model group, an alias of one, nor provider/model with a known provider")]
    [InlineData("""{"models": {"a": {"deployments": [{"provider": "demo", "model": "a"}]}, "b": {"deployments": [{"provider": "demo", "model": "b"}], "aliases": ["A"]}}}""",
        "tollgate.json: models.b.aliases[0]: 'A' already names model group 'a'")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "fallback": ["x"]}}}""",
        "tollgate.json: models.fast.fallback: unknown field (known: strategy, deployments, fallbacks, context_fallbacks, aliases, prices, context_window, max_output)")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "prices": {"input": "cheap", "output": 1}}}}""",
        "tollgate.json: models.fast.prices.input: not a valid price (prices are numbers in USD per 1M tokens)")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "prices": {"input": -1, "output": 1}}}}""",
        "tollgate.json: models.fast.prices: prices must not be negative")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "context_window": 0}}}""",
        "tollgate.json: models.fast.context_window: must be 1 or more, not 0")]
    [InlineData("""{"models": {"fast": {"deployments": [{"provider": "demo", "model": "a"}], "aliases": "quick"}}}""",
        "tollgate.json: models.fast.aliases: must be an array")]
    [InlineData("""{"models": {"Fast": {"deployments": [{"provider": "demo", "model": "a"}]}, "fast": {"deployments": [{"provider": "demo", "model": "b"}]}}}""",
        "tollgate.json: models.fast: the name is given twice (names are case-insensitive)")]
    [InlineData("""{"models": ["fast"]}""",
        "tollgate.json: models: must be an object")]
    public void Load_BadModelsSection_ErrorNamesFileAndField(string json, string expected)
    {
        Assert.Equal(expected, ConfigFile.Error(json));
    }
}
