using System.Globalization;
using System.Text.Json;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Core.Tests.Catalog;

/// <summary>The built-in catalog's two layers: seed-priced entries over the community file.</summary>
public sealed class CatalogLayersTests
{
    private static readonly ModelCatalog BuiltIn = ModelCatalog.BuiltIn;

    [Fact]
    public void BuiltIn_HoldsBothLayers_SeedPricesUnchanged()
    {
        Assert.True(BuiltIn.Models.Count > 2_600, $"{BuiltIn.Models.Count} models");
        foreach (var seed in CatalogLayers.Seed)
        {
            var entry = BuiltIn.Find(seed.Provider, seed.Model);
            Assert.NotNull(entry);
            Assert.Equal(seed.Prices with { Units = null }, entry.Prices with { Units = null });
            Assert.True(seed.Prices.Units is null || seed.Prices.Units == entry.Prices.Units, seed.Id);
            Assert.Equal(seed.Source, entry.Source);
            Assert.Equal(seed.Aliases, entry.Aliases);
        }
    }

    [Fact]
    public void BuiltIn_SeedWithoutLimits_TakesThemFromTheCommunityEntry()
    {
        // The seed prices openai/gpt-4o-mini but states no limits; LiteLLM's "gpt-4o-mini" has 128,000 / 16,384.
        var mini = BuiltIn.Find("openai", "gpt-4o-mini")!;

        Assert.Null(ModelCatalog.Seed.Find("openai", "gpt-4o-mini")!.ContextWindow);
        Assert.Equal((128_000L, 16_384L), (mini.ContextWindow, mini.MaxOutput));
        Assert.Equal("000_8b2dea290987c8e8.txt", mini.Source!.File);
        Assert.Equal(new CatalogSource { File = CatalogLayers.CommunityFile, Date = "2026-08", Key = "gpt-4o-mini" }, mini.FilledFrom);
    }

    [Fact]
    public void BuiltIn_SeedWithoutUnitPrices_TakesTheCommunitysPerImagePrices()
    {
        // The seed prices gpt-image-1 per token only; LiteLLM also prices it per image by quality and size
        // ("low/1024-x-1024/gpt-image-1": input_cost_per_image 0.011).
        var image = BuiltIn.Find("openai", "gpt-image-1")!;

        Assert.Equal(40m, image.Prices.Output);
        Assert.Contains(new ImagePrice { Quality = "low", Size = "1024x1024", Price = 0.011m }, image.Prices.Units!.Images!);
        Assert.Equal(CatalogLayers.CommunityFile, image.FilledFrom!.File);
    }

    [Fact]
    public void BuiltIn_SeedWithLimits_KeepsThemAndHasNoFilledFrom()
    {
        var seed = CatalogLayers.Seed.First(m => m.ContextWindow is not null && m.MaxOutput is not null && m.Capabilities.Count > 0);

        var entry = BuiltIn.Find(seed.Provider, seed.Model)!;

        Assert.Equal((seed.ContextWindow, seed.MaxOutput), (entry.ContextWindow, entry.MaxOutput));
        Assert.Null(entry.FilledFrom);
    }

    [Fact]
    public void BuiltIn_CommunityEntryNamedBySeedAlias_GivesWayToTheSeedEntry()
    {
        // The seed says gpt-4o-mini-2024-07-18 is gpt-4o-mini at the seed price; LiteLLM lists it as an entry of its own.
        Assert.Contains(CatalogLayers.Community.Models, m => m.Id == "openai/gpt-4o-mini-2024-07-18");

        var mini = BuiltIn.Find("openai", "gpt-4o-mini");
        Assert.Same(mini, BuiltIn.Find("openai", "gpt-4o-mini-2024-07-18"));
        Assert.DoesNotContain(BuiltIn.Models, m => m.Id == "openai/gpt-4o-mini-2024-07-18");
        Assert.Same(mini, Assert.Single(BuiltIn.FindByName("gpt-4o-mini-2024-07-18"), m => m.Provider == "openai"));
    }

    [Fact]
    public void BuiltIn_CommunityOnlyModel_PricedWithItsSource()
    {
        // "claude-sonnet-4-6" is in LiteLLM's file, not in the seeds.
        var m = BuiltIn.Find("anthropic", "claude-sonnet-4-6");

        Assert.NotNull(m);
        Assert.Null(ModelCatalog.Seed.Find("anthropic", "claude-sonnet-4-6"));
        Assert.Equal((CatalogLayers.CommunityFile, "2026-08"), (m.Source!.File, m.Source.Date));
        Assert.True(m.Prices.Input > 0);
    }

    [Fact]
    public void Combine_UpperEntryReplacesLowerAndFillsOnlyMissingLimits()
    {
        var lower = new[]
        {
            new ModelEntry { Provider = "p", Model = "a", ContextWindow = 100, MaxOutput = 10, Capabilities = ["tools"], Prices = new ModelPrices { Input = 9m }, Source = new CatalogSource { File = "low" } },
            new ModelEntry { Provider = "p", Model = "b", Prices = new ModelPrices { Input = 9m } },
            new ModelEntry { Provider = "p", Model = "a-old", Prices = new ModelPrices { Input = 9m } },
        };
        var upper = new[]
        {
            new ModelEntry { Provider = "p", Model = "a", Aliases = ["a-old"], MaxOutput = 20, Prices = new ModelPrices { Input = 1m }, Source = new CatalogSource { File = "up" } },
        };

        var combined = CatalogLayers.Combine(upper, lower);

        Assert.Equal(["p/a", "p/b"], combined.Select(m => m.Id));
        var a = combined[0];
        Assert.Equal((1m, 100L, 20L), (a.Prices.Input, a.ContextWindow!.Value, a.MaxOutput!.Value));
        Assert.Equal(["tools"], a.Capabilities);
        Assert.Equal("up", a.Source!.File);
        Assert.Equal("low", a.FilledFrom!.File);
    }

    [Fact]
    public void Merge_OfALoadedCatalog_IsLoadedAndFindsBoth()
    {
        _ = BuiltIn.Models;
        var merged = BuiltIn.Merge([new ModelEntry { Provider = "p", Model = "x", Prices = new ModelPrices { Input = 1m } }]);

        Assert.True(merged.IsLoaded);
        Assert.NotNull(merged.Find("p", "x"));
        Assert.NotNull(merged.Find("openai", "gpt-4o"));
    }

    [Fact]
    public async Task Deferred_LoadsOnlyWhenPreloadedOrUsed_AndALookupWaitsForIt()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var loads = 0;
        int? loaderThread = null;
        var catalog = ModelCatalog.Deferred(() =>
        {
            Interlocked.Increment(ref loads);
            loaderThread = Environment.CurrentManagedThreadId;
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return [new ModelEntry { Provider = "p", Model = "m", Prices = new ModelPrices { Input = 1m } }];
        });
        Assert.False(catalog.IsLoaded);
        Assert.Equal(0, loads);

        // Preload runs the loader on a thread of its own; a merge over the unloaded catalog stays deferred.
        var merged = catalog.Preload().Merge([new ModelEntry { Provider = "p", Model = "n", Prices = new ModelPrices { Input = 2m } }]);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        Assert.NotEqual(Environment.CurrentManagedThreadId, loaderThread);
        Assert.False(catalog.IsLoaded);

        // A lookup made while loading waits for the one load, then finds the entries.
        var lookup = Task.Run(() => merged.Find("p", "m"));
        release.Set();
        Assert.NotNull(await lookup);
        Assert.NotNull(merged.Find("p", "n"));
        Assert.True(catalog.IsLoaded);
        Assert.Equal(1, loads);
    }

    /// <summary>
    /// A sample of community entries, every 97th of the file's per-token chat models that the seeds do not price,
    /// priced through the catalog equals the file's own arithmetic: tokens x the per-token number as written.
    /// </summary>
    [Fact]
    public void BuiltIn_CommunitySample_CostEqualsTheFilesOwnPerTokenArithmetic()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.Path(CatalogLayers.CommunityFile)));
        var checkedCount = 0;
        var index = 0;
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            var v = property.Value;
            if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("mode", out var mode) || mode.GetString() != "chat"
                || !v.TryGetProperty("input_cost_per_token", out var inRaw) || !v.TryGetProperty("output_cost_per_token", out var outRaw)
                || v.EnumerateObject().Any(p => p.Name.Contains("above_", StringComparison.Ordinal)) || index++ % 97 != 0)
            {
                continue;
            }

            var entry = CatalogLayers.Community.Models.FirstOrDefault(m => m.Source!.Key == property.Name);
            if (entry is null || BuiltIn.Find(entry.Provider, entry.Model) is not { } found || !ReferenceEquals(found.Source, entry.Source))
            {
                continue; // a duplicate spelling, or shadowed by a seed entry
            }

            // 12,345 in and 6,789 out at the file's per-token prices, read as decimals from the number text.
            var expected = 12_345 * decimal.Parse(inRaw.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)
                + 6_789 * decimal.Parse(outRaw.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
            var cost = CostCalculator.Calculate(found, new TokenUsage { InputTokens = 12_345, OutputTokens = 6_789 });
            Assert.True(expected == cost.Total, $"{property.Name}: {cost.Total} != {expected}");
            checkedCount++;
        }

        Assert.True(checkedCount >= 15, $"only {checkedCount} entries checked");
    }
}
