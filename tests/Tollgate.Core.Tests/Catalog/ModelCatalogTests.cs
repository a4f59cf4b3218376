using Tollgate.Core.Catalog;

namespace Tollgate.Core.Tests.Catalog;

public sealed class ModelCatalogTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Seed;

    private static ModelEntry Entry(string provider, string model, params string[] aliases) => new()
    {
        Provider = provider,
        Model = model,
        Aliases = aliases,
        Prices = new ModelPrices { Input = 1m, Output = 2m },
        Source = new CatalogSource { File = "test", Date = "2026-11" },
    };

    [Fact]
    public void Find_ProviderAndName_ReturnsThatEntry()
    {
        var entry = Catalog.Find("anthropic", "claude-sonnet-4-5");

        Assert.NotNull(entry);
        Assert.Equal("anthropic/claude-sonnet-4-5", entry.Id);
        Assert.Equal(3m, entry.Prices.Input);
    }

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("anthropic", "claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [InlineData("openai", "gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("openai", "gpt-4.1-nano-2025-04-14", "gpt-4.1-nano")]
    [InlineData("groq", "moonshotai/kimi-k2-instruct", "moonshotai/kimi-k2-instruct-0905")]
    public void Find_DatedAlias_ReturnsTheModelItNames(string provider, string alias, string model)
    {
        var entry = Catalog.Find(provider, alias);

        Assert.NotNull(entry);
        Assert.Equal(model, entry.Model);
    }

    [Fact]
    public void Find_DifferentCase_StillFindsTheModel()
    {
        Assert.Same(Catalog.Find("openai", "gpt-4o"), Catalog.Find("OpenAI", "GPT-4o"));
    }

    [Theory]
    [InlineData("openai", "gpt-9")]
    [InlineData("anthropic", "gpt-4o")]
    [InlineData("nobody", "demo-chat")]
    public void Find_UnknownOrOtherProvidersModel_ReturnsNull(string provider, string model)
    {
        Assert.Null(Catalog.Find(provider, model));
    }

    [Fact]
    public void FindByName_BareNameOfOneProvider_ReturnsOneEntry()
    {
        var found = Catalog.FindByName("llama-3.3-70b-versatile");

        var entry = Assert.Single(found);
        Assert.Equal("groq", entry.Provider);
    }

    [Fact]
    public void FindByName_AliasWithoutProvider_ReturnsTheEntry()
    {
        var entry = Assert.Single(Catalog.FindByName("claude-sonnet-4-5-20250929"));

        Assert.Equal("anthropic/claude-sonnet-4-5", entry.Id);
    }

    [Fact]
    public void FindByName_NameServedByTwoProviders_ReturnsBoth()
    {
        var catalog = new ModelCatalog([Entry("groq", "llama-3.3-70b-versatile"), Entry("other", "llama-3.3-70b-versatile"), Entry("other", "x")]);

        var found = catalog.FindByName("llama-3.3-70b-versatile");

        Assert.Equal(["groq", "other"], found.Select(e => e.Provider).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FindByName_AliasOfOneAndNameOfAnother_ReturnsBoth()
    {
        var catalog = new ModelCatalog([Entry("a", "m1", "shared"), Entry("b", "shared")]);

        Assert.Equal(2, catalog.FindByName("shared").Count);
        Assert.Equal("b/shared", catalog.Find("b", "shared")!.Id);
    }

    [Fact]
    public void Constructor_AliasEqualToAnotherModelsName_DoesNotShadowIt()
    {
        var catalog = new ModelCatalog([Entry("p", "big", "small"), Entry("p", "small")]);

        Assert.Equal("small", catalog.Find("p", "small")!.Model);
    }

    [Fact]
    public void Merge_SameId_ReplacesBuiltInEntry()
    {
        var cheaper = Catalog.Find("openai", "gpt-4o")! with { Prices = new ModelPrices { Input = 0.5m, Output = 1m } };

        var merged = Catalog.Merge([cheaper]);

        Assert.Equal(0.5m, merged.Find("openai", "gpt-4o")!.Prices.Input);
        Assert.Equal(2.5m, Catalog.Find("openai", "gpt-4o")!.Prices.Input);
        Assert.Equal(Catalog.Models.Count, merged.Models.Count);
    }

    [Fact]
    public void CatalogFileRead_EntryWithoutAliasesOrCapabilities_GetsEmptyLists()
    {
        var json = """{"models":[{"provider":"p","model":"m","prices":{"input":1.5,"output":2}}]}"""u8.ToArray();

        var entry = Assert.Single(CatalogFile.Read(new MemoryStream(json)));

        Assert.Empty(entry.Aliases);
        Assert.Empty(entry.Capabilities);
        Assert.Equal(1.5m, entry.Prices.Input);
        Assert.Same(entry, new ModelCatalog([entry]).Find("p", "m"));
    }

    [Fact]
    public void CatalogFileRead_EntryWithoutPrices_IsRejected()
    {
        var json = """{"models":[{"provider":"p","model":"m"}]}"""u8.ToArray();

        // "prices" is a required member, so the reader refuses the entry rather than pricing it at zero.
        Assert.Throws<System.Text.Json.JsonException>(() => CatalogFile.Read(new MemoryStream(json)));
    }

    [Fact]
    public void BuiltIn_EveryEntry_HasSourceWithFileAndDate()
    {
        Assert.All(Catalog.Models, m =>
        {
            Assert.NotNull(m.Source);
            Assert.False(string.IsNullOrWhiteSpace(m.Source.File), m.Id);
            Assert.Matches(@"^\d{4}-\d{2}(-\d{2})?$", m.Source.Date ?? "");
        });
    }

    [Fact]
    public void BuiltIn_EverySourceFile_IsASeedOrTheBuiltInDemo()
    {
        var seeds = Directory.GetFiles(SeedFiles.Directory).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.All(Catalog.Models, m => Assert.True(
            seeds.Contains(m.Source!.File) || (m.Provider == "demo" && m.Source.File == "built-in"),
            $"{m.Id}: source {m.Source.File}"));
    }

    [Fact]
    public void BuiltIn_NoPrice_IsNegative()
    {
        Assert.All(Catalog.Models, m => Assert.All(PriceField.All(m), p => Assert.True(p.Value >= 0, $"{m.Id} {p.Field} = {p.Value}")));
    }

    [Fact]
    public void BuiltIn_ResourceEntries_HaveUniqueIdsAndAliases()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("Tollgate.Core.catalog.json")!;
        var raw = CatalogFile.Read(stream);

        // The catalog keeps the last of two entries with one id, so duplicates would vanish silently.
        Assert.Equal(raw.Count, raw.Select(m => m.Id.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(raw.Count, Catalog.Models.Count);

        var names = raw.SelectMany(m => m.Aliases.Prepend(m.Model).Select(n => m.Provider + "/" + n.ToLowerInvariant())).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void BuiltIn_EveryChatModel_HasAnOutputPrice()
    {
        Assert.All(Catalog.Models.Where(m => m.Mode == "chat"), m => Assert.True(m.Prices.Output > 0, m.Id));
    }

    [Fact]
    public void BuiltIn_EveryPricedProvider_IsPresent()
    {
        Assert.Equal(
            ["anthropic", "deepseek", "demo", "gemini", "groq", "mistral", "moonshot", "openai"],
            Catalog.Models.Select(m => m.Provider).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BuiltIn_LongContextRates_AreAboveTheThresholdAndNotCheaper()
    {
        var withLongContext = Catalog.Models.Where(m => m.Prices.LongContext is not null).ToList();

        Assert.Equal(6, withLongContext.Count);
        Assert.All(withLongContext, m =>
        {
            var lc = m.Prices.LongContext!;
            Assert.Equal(200_000, lc.ThresholdTokens);
            Assert.True(lc.WholeRequest, m.Id);
            Assert.True(lc.Input > m.Prices.Input && lc.Output > m.Prices.Output, m.Id);
            Assert.True(m.Prices.CachedInput is null || lc.CachedInput > m.Prices.CachedInput, m.Id);
        });
    }

    [Fact]
    public void BuiltIn_AnthropicCacheRates_FollowThePagesMultipliers()
    {
        // The pricing page: 5m write = 1.25x base input, 1h write = 2x, cache hit = 0.1x, batch = half.
        // Its table rounds Haiku 3 ($0.30 and $0.03 rather than 0.3125 and 0.025), and the table wins.
        Assert.All(Catalog.Models.Where(m => m.Provider == "anthropic" && m.Model != "claude-3-haiku-20240307"), m =>
        {
            Assert.Equal(m.Prices.Input * 1.25m, m.Prices.CacheWrite5m);
            Assert.Equal(m.Prices.Input * 2m, m.Prices.CacheWrite1h);
            Assert.Equal(m.Prices.Input * 0.1m, m.Prices.CachedInput);
            Assert.Equal(m.Prices.Input / 2m, m.Prices.Batch!.Input);
            Assert.Equal(m.Prices.Output / 2m, m.Prices.Batch.Output);
            Assert.Equal(m.Prices.CachedInput / 2m, m.Prices.Batch.CachedInput);
            if (m.Prices.LongContext is { } lc)
            {
                Assert.Equal(lc.Input * 1.25m, lc.CacheWrite5m);
                Assert.Equal(lc.Input * 2m, lc.CacheWrite1h);
                Assert.Equal(lc.Input * 0.1m, lc.CachedInput);

                // "The Batch API 50% discount applies to long context pricing"; cache writes keep their rate.
                var blc = m.Prices.Batch.LongContext!;
                Assert.Equal((lc.Input / 2m, lc.CachedInput / 2m, lc.Output / 2m), (blc.Input, blc.CachedInput, blc.Output));
                Assert.Equal((lc.CacheWrite5m, lc.CacheWrite1h, lc.ThresholdTokens), (blc.CacheWrite5m, blc.CacheWrite1h, blc.ThresholdTokens));
            }
            else
            {
                Assert.Null(m.Prices.Batch.LongContext);
            }
        });
    }

    [Fact]
    public void BuiltIn_DemoProvider_ServesChatAndEmbeddingModels()
    {
        var chat = Catalog.Find("demo", "demo-chat");
        var embed = Catalog.Find("demo", "demo-embed");

        Assert.NotNull(chat);
        Assert.Equal(("chat", 128_000L, 16_384L), (chat.Mode, chat.ContextWindow, chat.MaxOutput));
        Assert.Equal((1.00m, 0.50m, 2.00m), (chat.Prices.Input, chat.Prices.CachedInput, chat.Prices.Output));
        Assert.Contains("illustrative", chat.Source!.Note, StringComparison.Ordinal);
        Assert.NotNull(embed);
        Assert.Equal(("embedding", 0.10m, 0m), (embed.Mode, embed.Prices.Input, embed.Prices.Output));
    }

    [Fact]
    public void BuiltIn_Limits_ArePositiveAndOutputFitsTheWindow()
    {
        // Gemini states separate input and output limits (TTS: 8,192 in, 16,384 out); elsewhere output shares the window.
        Assert.All(Catalog.Models.Where(m => m.ContextWindow is not null && m.MaxOutput is not null), m =>
            Assert.True(m.MaxOutput > 0 && m.ContextWindow > 0 && (m.Provider == "gemini" || m.MaxOutput <= m.ContextWindow), m.Id));
    }
}
