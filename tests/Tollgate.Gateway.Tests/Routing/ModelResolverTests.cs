using Tollgate.Core.Catalog;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Tests.Routing;

public sealed class ModelResolverTests : IDisposable
{
    private static readonly ModelCatalog Catalog = new([
        Entry("openai", "gpt-4o-mini", 0.15m, 0.6m),
        Entry("openai", "gpt-4o", 2.5m, 10m),
        Entry("groq", "llama-3.3-70b-versatile", 0.59m, 0.79m),
        Entry("together", "llama-3.3-70b-versatile", 0.88m, 0.88m),
        Entry("anthropic", "claude-sonnet-4-5", 3m, 15m),
        Entry("deepseek", "deepseek-chat", 0.27m, 1.1m),
    ]);

    private readonly List<UpstreamRegistry> _registries = [];

    private static ModelEntry Entry(string provider, string model, decimal input, decimal output) =>
        new() { Provider = provider, Model = model, Prices = new ModelPrices { Input = input, Output = output } };

    private ModelResolver Make(string[] providers, params ModelGroupSettings[] groups)
    {
        var registry = new UpstreamRegistry(providers.Select(p => new ProviderSettings { Id = p, BaseUrl = "http://127.0.0.1:9" }), null);
        _registries.Add(registry);
        return new ModelResolver(Catalog, registry, new GatewayOptions { Models = groups });
    }

    private static ModelGroupSettings Group(string name, string[] deployments, string[]? fallbacks = null, string[]? contextFallbacks = null, string[]? aliases = null) => new()
    {
        Name = name,
        Deployments = deployments.Select(d => new DeploymentSettings { Provider = d[..d.IndexOf('/', StringComparison.Ordinal)], Model = d[(d.IndexOf('/', StringComparison.Ordinal) + 1)..] }).ToArray(),
        Fallbacks = fallbacks ?? [],
        ContextFallbacks = contextFallbacks ?? [],
        Aliases = aliases ?? [],
    };

    private static string[] Names(RoutePlan plan) => plan.Groups.Select(g => g.Name).ToArray();

    public void Dispose()
    {
        foreach (var r in _registries)
        {
            r.Dispose();
        }
    }

    [Fact]
    public void ResolvePlan_GroupName_WinsOverCatalog()
    {
        var resolver = Make(["openai", "groq"], Group("gpt-4o", ["groq/llama-3.3-70b-versatile", "openai/gpt-4o"]));

        var plan = resolver.ResolvePlan("gpt-4o", out var error);

        Assert.Null(error);
        var group = Assert.Single(plan!.Groups);
        Assert.Equal(["groq/llama-3.3-70b-versatile", "openai/gpt-4o"], group.Deployments.Select(d => d.DeploymentId));
        Assert.All(group.Deployments, d => Assert.Equal("gpt-4o", d.Group));
        Assert.Equal(0.59m, group.Deployments[0].Model!.Prices.Input);
    }

    [Fact]
    public void ResolvePlan_Alias_ResolvesToTheGroup()
    {
        var resolver = Make(["openai"], Group("smart", ["openai/gpt-4o"], aliases: ["clever"]));

        var plan = resolver.ResolvePlan("CLEVER", out _);

        Assert.Equal("smart", Assert.Single(plan!.Groups).Name);
    }

    [Fact]
    public void ResolvePlan_FallbacksAndTheirFallbacks_BreadthFirstEachOnce()
    {
        var resolver = Make(["openai", "groq", "deepseek"],
            Group("fast", ["groq/llama-3.3-70b-versatile"], fallbacks: ["smart", "cheap"]),
            Group("smart", ["openai/gpt-4o"], fallbacks: ["big", "fast"]),
            Group("cheap", ["deepseek/deepseek-chat"], fallbacks: ["smart"]),
            Group("big", ["openai/gpt-4o-mini"], fallbacks: ["fast"]));

        var plan = resolver.ResolvePlan("fast", out _);

        Assert.Equal(["fast", "smart", "cheap", "big"], Names(plan!));
    }

    [Fact]
    public void ResolvePlan_FallbackCycle_Ends()
    {
        var resolver = Make(["openai"], Group("a", ["openai/gpt-4o"], fallbacks: ["b"]), Group("b", ["openai/gpt-4o-mini"], fallbacks: ["a"]));

        Assert.Equal(["b", "a"], Names(resolver.ResolvePlan("b", out _)!));
    }

    [Fact]
    public void ResolvePlan_ProviderModelFallback_IsAOneDeploymentGroup()
    {
        var resolver = Make(["openai", "anthropic"], Group("fast", ["openai/gpt-4o-mini"], fallbacks: ["anthropic/claude-sonnet-4-5"]));

        var plan = resolver.ResolvePlan("fast", out _)!;

        Assert.Equal(["fast", "anthropic/claude-sonnet-4-5"], Names(plan));
        Assert.Equal(3m, plan.Groups[1].Deployments[0].Model!.Prices.Input);
    }

    [Fact]
    public void ResolvePlan_ContextFallbacks_SeparateWithTheirFallbacks()
    {
        var resolver = Make(["openai", "anthropic", "groq"],
            Group("fast", ["groq/llama-3.3-70b-versatile"], fallbacks: ["smart"], contextFallbacks: ["long"]),
            Group("smart", ["openai/gpt-4o"], contextFallbacks: ["huge"]),
            Group("long", ["openai/gpt-4o-mini"], fallbacks: ["huge"]),
            Group("huge", ["anthropic/claude-sonnet-4-5"]));

        var plan = resolver.ResolvePlan("fast", out _)!;

        Assert.Equal(["fast", "smart"], Names(plan));
        Assert.Equal(["long", "huge"], plan.ContextFallbacks.Select(g => g.Name));
        Assert.False(plan.IsSingle);
    }

    [Fact]
    public void ResolvePlan_RequestModelsArray_AppendedInOrderWithoutRepeats()
    {
        var resolver = Make(["openai", "anthropic", "groq"],
            Group("fast", ["groq/llama-3.3-70b-versatile"], fallbacks: ["smart"]),
            Group("smart", ["openai/gpt-4o"]));

        var plan = resolver.ResolvePlan("fast", ["anthropic/claude-sonnet-4-5", "smart", "gpt-4o-mini"], out var error)!;

        Assert.Null(error);
        Assert.Equal(["fast", "smart", "anthropic/claude-sonnet-4-5", "gpt-4o-mini"], Names(plan));
        Assert.Equal("fast", plan.Model);
        Assert.Equal(["fast", "smart"], Names(resolver.ResolvePlan("fast", out _)!));
    }

    [Fact]
    public void ResolvePlan_RequestModelsEntryUnknown_ClientError()
    {
        var resolver = Make(["openai"]);

        Assert.Null(resolver.ResolvePlan("gpt-4o", ["no-such-model"], out var error));
        Assert.Equal(404, error!.Status);
        Assert.Equal("model_not_found", error.Code);
    }

    [Fact]
    public void ResolvePlan_CatalogName_CachedSingleDeploymentPlan()
    {
        var resolver = Make(["openai"]);

        var first = resolver.ResolvePlan("gpt-4o-mini", out _);
        var second = resolver.ResolvePlan("gpt-4o-mini", out _);
        var shouted = resolver.ResolvePlan("GPT-4O-MINI", out _);

        Assert.Same(first, second);
        Assert.True(first!.IsSingle);
        Assert.Equal("openai/gpt-4o-mini", first.Primary.DeploymentId);
        Assert.Null(first.Primary.Group);
        // The provider receives the client's own spelling, as before plans were cached.
        Assert.Equal("GPT-4O-MINI", shouted!.Primary.UpstreamModel);
        Assert.Same(first.Primary.Model, shouted.Primary.Model);
    }

    [Fact]
    public void ResolvePlan_GroupPrices_UsedWhenCatalogLacksTheModel()
    {
        var prices = new ModelPrices { Input = 5m, CachedInput = 0.5m, Output = 25m };
        var resolver = Make(["anthropic"], Group("claude-opus-5-5", ["anthropic/claude-opus-5-5", "anthropic/claude-sonnet-4-5"]) with { Prices = prices, ContextWindow = 200000, MaxOutput = 64000 });

        var group = resolver.ResolvePlan("claude-opus-5-5", out _)!.Groups[0];

        var opus = group.Deployments[0].Model!;
        Assert.Equal("anthropic/claude-opus-5-5", opus.Id);
        Assert.Equal(5m, opus.Prices.Input);
        Assert.Equal(200000, opus.ContextWindow);
        Assert.Equal(64000, opus.MaxOutput);
        Assert.Equal(3m, group.Deployments[1].Model!.Prices.Input);
    }

    [Fact]
    public void ResolvePlan_DeploymentOnUnconfiguredProvider_Dropped()
    {
        var resolver = Make(["openai"], Group("mixed", ["anthropic/claude-sonnet-4-5", "openai/gpt-4o"]));

        Assert.Equal(["openai/gpt-4o"], resolver.ResolvePlan("mixed", out _)!.Groups[0].Deployments.Select(d => d.DeploymentId));
    }

    [Fact]
    public void ResolvePlan_GroupWithNoConfiguredProvider_ProviderNotConfigured()
    {
        var resolver = Make(["openai"], Group("claude", ["anthropic/claude-sonnet-4-5"]));

        Assert.Null(resolver.ResolvePlan("claude", out var error));
        Assert.Equal(404, error!.Status);
        Assert.Equal("provider_not_configured", error.Code);
        Assert.Contains("anthropic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ProviderSlashModel_ForwardsEvenUnknownModels()
    {
        var resolver = Make(["openai"]);

        var route = resolver.Resolve("openai/gpt-9-preview", out var error);

        Assert.Null(error);
        Assert.Equal("gpt-9-preview", route!.UpstreamModel);
        Assert.Null(route.Model);
        Assert.Equal("openai/gpt-9-preview", route.DeploymentId);
    }

    [Fact]
    public void Resolve_GroupName_FirstDeployment()
    {
        var resolver = Make(["openai", "groq"], Group("fast", ["groq/llama-3.3-70b-versatile", "openai/gpt-4o-mini"]));

        Assert.Equal("groq/llama-3.3-70b-versatile", resolver.Resolve("fast", out _)!.DeploymentId);
    }

    [Theory]
    [InlineData("llama-3.3-70b-versatile", 400, "ambiguous_model")]
    [InlineData("claude-sonnet-4-5", 404, "provider_not_configured")]
    [InlineData("anthropic/claude-sonnet-4-5", 404, "provider_not_configured")]
    [InlineData("nosuchprovider/some-model", 404, "model_not_found")]
    [InlineData("no-such-model-anywhere", 404, "model_not_found")]
    public void Resolve_CatalogErrors_KeepTheirCodes(string model, int status, string code)
    {
        var resolver = Make(["openai", "groq", "together"]);

        Assert.Null(resolver.Resolve(model, out var error));
        Assert.Equal(status, error!.Status);
        Assert.Equal(code, error.Code);
    }
}
