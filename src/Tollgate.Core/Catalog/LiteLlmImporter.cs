using System.Globalization;
using System.Text.Json;

namespace Tollgate.Core.Catalog;

/// <summary>
/// Imports LiteLLM's <c>model_prices_and_context_window.json</c>: an object keyed by model name whose values
/// carry <c>litellm_provider</c>, <c>mode</c>, limits, <c>supports_*</c> flags and prices in USD per token or per
/// unit. Per-token prices become USD per 1M tokens, converted exactly: the JSON number text is read as a decimal,
/// never through a double, so <c>2.5e-06</c> becomes exactly <c>2.5</c>. Per-unit prices stay USD per unit.
/// </summary>
/// <remarks>
/// <para>Provider ids: LiteLLM's names map to Tollgate's where they differ (<c>together_ai</c> -&gt; <c>together</c>,
/// <c>zai</c> -&gt; <c>zhipu</c>, <c>fireworks_ai</c> -&gt; <c>fireworks</c>, <c>text-completion-openai</c> -&gt;
/// <c>openai</c>, <c>cohere_chat</c> -&gt; <c>cohere</c>); every other name is kept, lower-cased. <c>gemini</c> is the
/// Gemini API (AI Studio, the one <c>GEMINI_API_KEY</c> reaches). A Gemini model that LiteLLM lists only under
/// Vertex AI (<c>vertex_ai</c>, <c>vertex_ai-*</c>) is filed under <c>gemini</c> too, so it is priced out of the box;
/// the Gemini API's own entry wins where both exist. Vertex AI's other models (Claude, Llama, Mistral on Vertex)
/// become <c>vertex</c>, a provider of its own.</para>
/// <para>Model name: the key, without a leading <c>provider/</c> segment when that segment names the entry's
/// own provider (<c>groq/openai/gpt-oss-120b</c> -&gt; <c>openai/gpt-oss-120b</c>). When two keys give the same
/// provider/model (<c>deepseek-chat</c> and <c>deepseek/deepseek-chat</c>), the provider's own entry beats a Vertex
/// one, then the provider-prefixed key beats the bare one, being the form LiteLLM itself prices provider calls by;
/// the other is counted as a skipped duplicate.</para>
/// <para>Long context: <c>*_above_{N}k_tokens</c> prices become <see cref="LongContextPrices"/> with a threshold of
/// N × 1000 tokens, billed for the whole request (how LiteLLM, Anthropic and Gemini apply them); the lowest N wins
/// if a model has several; <c>*_above_{N}k_tokens_priority</c> and <c>_flex</c> become that tier's long-context rates.
/// <c>tiered_pricing</c> by prompt range becomes the base rates (range from 0) and whole-request tiers above.
/// Batch, flex and priority tiers need both an input and an output price, else the tier is left out (a half-priced
/// tier would bill output at a guess).</para>
/// <para>Images: keys such as <c>hd/1024-x-1792/dall-e-3</c> price one quality and size of the model named last;
/// they are folded into that model's <see cref="UnitPrices.Images"/> (a per-pixel price times the size's pixels).</para>
/// </remarks>
public static class LiteLlmImporter
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>Keys that describe the file rather than a model.</summary>
    private static readonly HashSet<string> s_nonModelKeys = new(StringComparer.Ordinal) { "sample_spec", "fallback_generalizations" };

    private static readonly HashSet<string> s_imageQualities = new(StringComparer.Ordinal) { "standard", "hd", "low", "medium", "high" };

    private static readonly Dictionary<string, string> s_providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "openai",
        ["text-completion-openai"] = "openai",
        ["anthropic"] = "anthropic",
        ["gemini"] = "gemini",
        ["groq"] = "groq",
        ["deepseek"] = "deepseek",
        ["mistral"] = "mistral",
        ["moonshot"] = "moonshot",
        ["zai"] = "zhipu",
        ["xai"] = "xai",
        ["openrouter"] = "openrouter",
        ["together_ai"] = "together",
        ["fireworks_ai"] = "fireworks",
        ["fireworks_ai-embedding-models"] = "fireworks",
        ["perplexity"] = "perplexity",
        ["cohere"] = "cohere",
        ["cohere_chat"] = "cohere",
        ["ollama"] = "ollama",
    };

    private static readonly (string Flag, string Capability)[] s_capabilities =
    [
        ("supports_function_calling", "tools"),
        ("supports_vision", "vision"),
        ("supports_response_schema", "json_schema"),
        ("supports_reasoning", "reasoning"),
        ("supports_prompt_caching", "prompt_caching"),
        ("supports_audio_input", "audio_input"),
        ("supports_audio_output", "audio_output"),
        ("supports_pdf_input", "pdf_input"),
        ("supports_web_search", "web_search"),
        ("supports_computer_use", "computer_use"),
    ];

    /// <summary>Reads a LiteLLM price file.</summary>
    /// <param name="json">The file's UTF-8 JSON.</param>
    /// <param name="sourceFile">The file's name, recorded as every model's <see cref="CatalogSource.File"/>.</param>
    /// <param name="sourceDate">When the file was taken (e.g. <c>2026-08</c>), recorded as <see cref="CatalogSource.Date"/>.</param>
    /// <exception cref="InvalidDataException">The stream is not JSON, or its root is not an object.</exception>
    public static LiteLlmImportResult Import(Stream json, string sourceFile, string? sourceDate = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceFile} is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{sourceFile} is not a LiteLLM price file: its root is not an object.");
            }

            var state = new ImportState();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var outcome = ReadEntry(property.Name, property.Value, sourceFile, sourceDate, state, out var reason);
                switch (outcome)
                {
                    case Outcome.Imported:
                        break;
                    case Outcome.Bad:
                        state.Bad.Add(new LiteLlmBadEntry(property.Name, reason!));
                        break;
                    default:
                        Count(state.Skipped, reason!);
                        break;
                }
            }

            FoldImageSizes(state, sourceFile, sourceDate);
            return new LiteLlmImportResult { Models = state.Models, SkippedByReason = state.Skipped, Bad = state.Bad };
        }
    }

    /// <summary>Reads a LiteLLM price file from disk; the source is the file's name.</summary>
    public static LiteLlmImportResult Import(string path, string? sourceDate = null)
    {
        using var stream = File.OpenRead(path);
        return Import(stream, Path.GetFileName(path), sourceDate);
    }

    /// <summary>The Tollgate provider id for a LiteLLM provider name (see the class remarks).</summary>
    public static string MapProvider(string litellmProvider)
    {
        ArgumentNullException.ThrowIfNull(litellmProvider);
        if (s_providers.TryGetValue(litellmProvider, out var id))
        {
            return id;
        }

        return IsVertex(litellmProvider) ? "vertex" : litellmProvider.ToLowerInvariant();
    }

    private static bool IsVertex(string litellmProvider) =>
        litellmProvider.Equals("vertex_ai", StringComparison.OrdinalIgnoreCase)
        || litellmProvider.StartsWith("vertex_ai-", StringComparison.OrdinalIgnoreCase);

    private enum Outcome
    {
        Imported,
        Skipped,
        Bad,
    }

    /// <summary>What the import has gathered so far.</summary>
    private sealed class ImportState
    {
        public List<ModelEntry> Models { get; } = [];

        /// <summary>Index into <see cref="Models"/> and precedence rank by id.</summary>
        public Dictionary<string, (int Index, int Rank)> ById { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

        public List<LiteLlmBadEntry> Bad { get; } = [];

        /// <summary>Per-image prices by provider/model, from keys such as <c>hd/1024-x-1792/dall-e-3</c>.</summary>
        public Dictionary<string, List<(string Key, ImagePrice Price)>> ImageSizes { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private static Outcome ReadEntry(string key, JsonElement value, string sourceFile, string? sourceDate, ImportState state, out string? reason)
    {
        reason = null;
        if (s_nonModelKeys.Contains(key))
        {
            reason = "not a model";
            return Outcome.Skipped;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            reason = $"the entry is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not an object";
            return Outcome.Bad;
        }

        if (!value.TryGetProperty("litellm_provider", out var providerElement) || providerElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(providerElement.GetString()))
        {
            reason = "litellm_provider is missing or not a string";
            return Outcome.Bad;
        }

        // LiteLLM's size-class rules (fireworks-ai-up-to-4b, ...) carry prices but no mode: they price
        // families of models, they are not models one can call.
        if (!value.TryGetProperty("mode", out var modeElement) || modeElement.ValueKind != JsonValueKind.String)
        {
            reason = "not a model";
            return Outcome.Skipped;
        }

        var fields = new Fields(value);
        var litellmProvider = providerElement.GetString()!;
        var litellmMode = modeElement.GetString()!;
        var provider = MapProvider(litellmProvider);
        var (model, prefixed) = ModelName(key, litellmProvider, provider);
        var viaVertex = provider == "vertex" && model.StartsWith("gemini-", StringComparison.OrdinalIgnoreCase);
        if (viaVertex)
        {
            provider = "gemini";
        }

        var errors = new List<string>();
        if (ImageSize(model) is { } sized)
        {
            var price = SizedImagePrice(fields, sized.Width * sized.Height, errors);
            if (errors.Count > 0)
            {
                reason = string.Join("; ", errors);
                return Outcome.Bad;
            }

            if (price is null)
            {
                reason = "no price";
                return Outcome.Skipped;
            }

            var id = provider + "/" + sized.Model;
            if (!state.ImageSizes.TryGetValue(id, out var list))
            {
                state.ImageSizes[id] = list = [];
            }

            list.Add((key, new ImagePrice { Quality = sized.Quality, Size = $"{sized.Width}x{sized.Height}", Price = price.Value }));
            reason = "image size price (folded into its model)";
            return Outcome.Skipped;
        }

        var prices = ReadPrices(fields, litellmMode, errors, out var anyPrice);
        if (errors.Count > 0)
        {
            reason = string.Join("; ", errors);
            return Outcome.Bad;
        }

        if (!anyPrice)
        {
            reason = "no price";
            return Outcome.Skipped;
        }

        var entry = new ModelEntry
        {
            Provider = provider,
            Model = model,
            Mode = MapMode(litellmMode),
            ContextWindow = Count(fields, "max_input_tokens"),
            MaxOutput = Count(fields, "max_output_tokens"),
            Capabilities = Capabilities(fields),
            Prices = prices,
            Source = new CatalogSource
            {
                File = sourceFile,
                Date = sourceDate,
                Key = key,
                Note = viaVertex ? $"Vertex AI's price ({litellmProvider}); the Gemini API lists no entry of its own" : null,
            },
        };

        // The provider's own entry beats one filed under it from Vertex; then a provider-prefixed key beats a bare one.
        var rank = (viaVertex ? 0 : 2) + (prefixed ? 1 : 0);
        if (state.ById.TryGetValue(entry.Id, out var earlier))
        {
            if (rank > earlier.Rank)
            {
                state.Models[earlier.Index] = entry;
                state.ById[entry.Id] = (earlier.Index, rank);
            }

            reason = "duplicate";
            return Outcome.Skipped;
        }

        state.ById[entry.Id] = (state.Models.Count, rank);
        state.Models.Add(entry);
        return Outcome.Imported;
    }

    private static (string Model, bool Prefixed) ModelName(string key, string litellmProvider, string provider)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < key.Length - 1)
        {
            var prefix = key[..slash];
            var dash = litellmProvider.IndexOf('-', StringComparison.Ordinal);
            var family = dash > 0 ? litellmProvider[..dash] : litellmProvider;
            if (prefix.Equals(litellmProvider, StringComparison.OrdinalIgnoreCase)
                || prefix.Equals(family, StringComparison.OrdinalIgnoreCase)
                || prefix.Equals(provider, StringComparison.OrdinalIgnoreCase))
            {
                return (key[(slash + 1)..], true);
            }
        }

        return (key, false);
    }

    private static ModelPrices ReadPrices(Fields value, string litellmMode, List<string> errors, out bool anyPrice)
    {
        var tiered = TieredPricing(value, errors);
        var input = Price(value, "input_cost_per_token", errors) ?? tiered?.Base.Input;
        var output = Price(value, "output_cost_per_token", errors) ?? tiered?.Base.Output;
        var units = Units(value, litellmMode, errors);
        var prices = new ModelPrices
        {
            Input = input ?? 0m,
            Output = output ?? 0m,
            CachedInput = Price(value, "cache_read_input_token_cost", errors) ?? Price(value, "input_cost_per_token_cache_hit", errors) ?? tiered?.Base.CachedInput,
            CacheWrite5m = Price(value, "cache_creation_input_token_cost", errors),
            CacheWrite1h = Price(value, "cache_creation_input_token_cost_above_1hr", errors),
            Reasoning = Price(value, "output_cost_per_reasoning_token", errors) ?? tiered?.Base.Reasoning,
            InputAudio = Price(value, "input_cost_per_audio_token", errors),

            // OpenAI charges nothing to write its cache; LiteLLM's realtime entries hold the cached-audio rate under this name.
            CachedInputAudio = Price(value, "cache_read_input_audio_token_cost", errors) ?? Price(value, "cache_creation_input_audio_token_cost", errors),
            OutputAudio = Price(value, "output_cost_per_audio_token", errors),
            InputImage = Price(value, "input_cost_per_image_token", errors),
            OutputImage = Price(value, "output_cost_per_image_token", errors),
            Batch = Tier(value, "_batches", errors),
            Flex = Tier(value, "_flex", errors),
            Priority = Tier(value, "_priority", errors),
            LongContext = LongContext(value, "", input ?? 0m, output ?? 0m, errors) ?? tiered?.Above.FirstOrDefault(),
            LongContextTiers = tiered is { } t && t.Above.Count > 1 ? t.Above.Skip(1).ToList() : null,
            Units = units,
        };
        anyPrice = input is not null || output is not null || units is not null || prices.InputAudio is not null || prices.OutputAudio is not null
            || prices.InputImage is not null || prices.OutputImage is not null;
        return prices;
    }

    /// <summary>
    /// A per-token price as USD per 1M tokens, or null when absent (or JSON null). A string, a boolean or a
    /// negative number is an error: such an entry is reported, not imported with a made-up price.
    /// </summary>
    private static decimal? Price(Fields entry, string name, List<string> errors) =>
        Number(entry, name, errors) is { } perToken ? Normalize(perToken * PerMillion) : null;

    /// <summary>A per-unit price in USD, or null when absent; malformed values are errors as for <see cref="Price"/>.</summary>
    private static decimal? Number(Fields entry, string name, List<string> errors)
    {
        if (!entry.TryGet(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            errors.Add($"{name} is a {element.ValueKind.ToString().ToLowerInvariant()}, not a number");
            return null;
        }

        if (!element.TryGetDecimal(out var value))
        {
            errors.Add($"{name} ({element.GetRawText()}) is out of range");
            return null;
        }

        if (value < 0)
        {
            errors.Add($"{name} is negative ({element.GetRawText()})");
            return null;
        }

        return Normalize(value);
    }

    /// <summary>Drops trailing zeros (2.5000000 -&gt; 2.5) so catalog files and CLI output show the price as written.</summary>
    private static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    private static TierPrices? Tier(Fields entry, string suffix, List<string> errors)
    {
        var input = Price(entry, "input_cost_per_token" + suffix, errors);
        var output = Price(entry, "output_cost_per_token" + suffix, errors);
        var cached = Price(entry, "cache_read_input_token_cost" + suffix, errors);
        var write = Price(entry, "cache_creation_input_token_cost" + suffix, errors);
        var audio = Price(entry, "input_cost_per_audio_token" + suffix, errors);
        if (input is null || output is null)
        {
            return null;
        }

        return new TierPrices
        {
            Input = input.Value,
            Output = output.Value,
            CachedInput = cached,
            CacheWrite5m = write,
            InputAudio = audio,
            LongContext = LongContext(entry, suffix, input.Value, output.Value, errors),
        };
    }

    /// <summary>The lowest <c>*_above_{N}k_tokens{suffix}</c> tier of an entry (suffix empty, <c>_flex</c> or <c>_priority</c>).</summary>
    private static LongContextPrices? LongContext(Fields entry, string suffix, decimal input, decimal output, List<string> errors)
    {
        if (!entry.HasThresholds)
        {
            return null;
        }

        long? thousands = null;
        foreach (var name in entry.Names)
        {
            var n = Threshold(name, "input_cost_per_token_above_", suffix) ?? Threshold(name, "output_cost_per_token_above_", suffix);
            if (n is not null && (thousands is null || n < thousands))
            {
                thousands = n;
            }
        }

        if (thousands is null)
        {
            return null;
        }

        var above = $"_above_{thousands}k_tokens{suffix}";
        return new LongContextPrices
        {
            ThresholdTokens = thousands.Value * 1000,
            WholeRequest = true,
            Input = Price(entry, "input_cost_per_token" + above, errors) ?? input,
            Output = Price(entry, "output_cost_per_token" + above, errors) ?? output,
            CachedInput = Price(entry, "cache_read_input_token_cost" + above, errors),
            CacheWrite5m = Price(entry, "cache_creation_input_token_cost" + above, errors),
            CacheWrite1h = suffix.Length == 0 ? Price(entry, "cache_creation_input_token_cost_above_1hr" + above, errors) : null,
        };
    }

    /// <summary>N of <c>{prefix}{N}k_tokens{suffix}</c>, or null when the name is not of that form.</summary>
    private static long? Threshold(string name, string prefix, string suffix)
    {
        var end = "k_tokens" + suffix;
        return name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(end, StringComparison.Ordinal)
            && name.Length > prefix.Length + end.Length
            && long.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - end.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n > 0
            ? n
            : null;
    }

    /// <summary>
    /// <c>tiered_pricing</c> by prompt range (Qwen, Doubao): the range from 0 gives the base rates, each later range a
    /// whole-request tier from its lower bound. Tiers by search result count (<c>max_results_range</c>) are not token
    /// tiers and are left out.
    /// </summary>
    private static (LongContextPrices Base, List<LongContextPrices> Above)? TieredPricing(Fields entry, List<string> errors)
    {
        if (!entry.TryGet("tiered_pricing", out var tiers) || tiers.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var read = new List<LongContextPrices>();
        foreach (var tier in tiers.EnumerateArray())
        {
            if (tier.ValueKind != JsonValueKind.Object || !tier.TryGetProperty("range", out var range) || range.ValueKind != JsonValueKind.Array
                || range.GetArrayLength() != 2 || !range[0].TryGetDecimal(out var from) || from < 0 || from != decimal.Truncate(from))
            {
                return null;
            }

            var t = new Fields(tier);
            read.Add(new LongContextPrices
            {
                ThresholdTokens = (long)from,
                WholeRequest = true,
                Input = Price(t, "input_cost_per_token", errors) ?? 0m,
                Output = Price(t, "output_cost_per_token", errors) ?? 0m,
                CachedInput = Price(t, "cache_read_input_token_cost", errors),
                Reasoning = Price(t, "output_cost_per_reasoning_token", errors),
            });
        }

        read.Sort((a, b) => a.ThresholdTokens.CompareTo(b.ThresholdTokens));
        return read.Count > 0 && read[0].ThresholdTokens == 0 ? (read[0], read.Skip(1).ToList()) : null;
    }

    private static UnitPrices? Units(Fields value, string litellmMode, List<string> errors)
    {
        var makesImages = litellmMode is "image_generation" or "image_edit";

        // LiteLLM prices a generated image under input_cost_per_image for DALL·E and under output_cost_per_image elsewhere.
        var outputImage = Number(value, "output_cost_per_image", errors);
        var inputImage = Number(value, "input_cost_per_image", errors);

        // Per-second prices mean seconds of audio only for transcription and speech models; Bedrock's chat entries use
        // the same names for provisioned throughput, which no call's usage measures.
        var perSecondIn = litellmMode == "audio_transcription" ? Number(value, "input_cost_per_second", errors) : null;
        var perSecondOut = litellmMode is "audio_speech" or "video_generation" ? Number(value, "output_cost_per_second", errors) : null;
        var units = new UnitPrices
        {
            Image = makesImages ? outputImage ?? inputImage : outputImage,
            Pixel = makesImages ? Sum(Number(value, "input_cost_per_pixel", errors), Number(value, "output_cost_per_pixel", errors)) : null,
            InputImage = makesImages ? null : inputImage,
            InputCharacter = Number(value, "input_cost_per_character", errors),
            OutputCharacter = Number(value, "output_cost_per_character", errors),
            InputAudioSecond = Number(value, "input_cost_per_audio_per_second", errors) ?? perSecondIn,
            InputVideoSecond = Number(value, "input_cost_per_video_per_second", errors),
            OutputSecond = perSecondOut ?? (litellmMode == "video_generation" ? Number(value, "output_cost_per_video_per_second", errors) : null),
            Query = Number(value, "input_cost_per_query", errors),
            Request = Number(value, "input_cost_per_request", errors),
            WebSearch = WebSearch(value, errors),
        };
        return units == new UnitPrices() ? null : units;
    }

    private static decimal? Sum(decimal? a, decimal? b) => a is null && b is null ? null : (a ?? 0m) + (b ?? 0m);

    private static WebSearchPrices? WebSearch(Fields value, List<string> errors)
    {
        if (!value.TryGet("search_context_cost_per_query", out var search) || search.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var prices = new Fields(search);
        var low = Number(prices, "search_context_size_low", errors);
        var medium = Number(prices, "search_context_size_medium", errors);
        var high = Number(prices, "search_context_size_high", errors);
        return low is null || medium is null || high is null ? null : new WebSearchPrices { Low = low.Value, Medium = medium.Value, High = high.Value };
    }

    /// <summary>A key of the form <c>[quality/]W-x-H/model</c>, or null.</summary>
    private static (string? Quality, long Width, long Height, string Model)? ImageSize(string model)
    {
        var parts = model.Split('/');
        var i = parts.Length == 3 && s_imageQualities.Contains(parts[0]) ? 1 : 0;
        if (parts.Length != i + 2)
        {
            return null;
        }

        var size = parts[i];
        var x = size.IndexOf("-x-", StringComparison.Ordinal);
        return x > 0
            && long.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && long.TryParse(size.AsSpan(x + 3), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            ? (i == 1 ? parts[0] : null, w, h, parts[i + 1])
            : null;
    }

    private static decimal? SizedImagePrice(Fields value, long pixels, List<string> errors)
    {
        var perImage = Number(value, "input_cost_per_image", errors) ?? Number(value, "output_cost_per_image", errors);
        var perPixel = Sum(Number(value, "input_cost_per_pixel", errors), Number(value, "output_cost_per_pixel", errors));
        return perImage ?? (perPixel is { } p ? Normalize(p * pixels) : null);
    }

    /// <summary>Adds the per-size image prices to their models, making an image entry for a model listed only by size.</summary>
    private static void FoldImageSizes(ImportState state, string sourceFile, string? sourceDate)
    {
        foreach (var (id, sizes) in state.ImageSizes)
        {
            var images = sizes.Select(s => s.Price).OrderBy(p => p.Size, StringComparer.Ordinal).ThenBy(p => p.Quality, StringComparer.Ordinal).ToList();
            if (state.ById.TryGetValue(id, out var found))
            {
                var entry = state.Models[found.Index];
                var units = entry.Prices.Units ?? new UnitPrices();
                state.Models[found.Index] = entry with { Prices = entry.Prices with { Units = units with { Images = images } } };
                continue;
            }

            var slash = id.IndexOf('/', StringComparison.Ordinal);
            var made = new ModelEntry
            {
                Provider = id[..slash],
                Model = id[(slash + 1)..],
                Mode = "image",
                Prices = new ModelPrices { Units = new UnitPrices { Images = images } },
                Source = new CatalogSource { File = sourceFile, Date = sourceDate, Key = sizes[0].Key, Note = "made from the per-size keys; LiteLLM has no entry of the model's own" },
            };
            state.ById[id] = (state.Models.Count, 0);
            state.Models.Add(made);
        }
    }

    private static string MapMode(string mode) => mode switch
    {
        "image_generation" or "image_edit" => "image",
        "audio_transcription" or "audio_speech" => "audio",
        "video_generation" => "video",
        _ => mode,
    };

    /// <summary>A token limit; LiteLLM writes some as floats (<c>256000.0</c>) and a few as prose, which are ignored.</summary>
    private static long? Count(Fields entry, string name) =>
        entry.TryGet(name, out var element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetDecimal(out var d) && d > 0 && d == decimal.Truncate(d) && d <= long.MaxValue
            ? (long)d
            : null;

    private static IReadOnlyList<string> Capabilities(Fields entry)
    {
        var list = new List<string>();
        foreach (var (flag, capability) in s_capabilities)
        {
            if (entry.TryGet(flag, out var element) && element.ValueKind == JsonValueKind.True)
            {
                list.Add(capability);
            }
        }

        return list;
    }

    private static void Count(Dictionary<string, int> counts, string reason) =>
        counts[reason] = counts.GetValueOrDefault(reason) + 1;

    /// <summary>
    /// The members of one JSON object by name. An entry is looked up some forty times (one per price name), and
    /// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> scans the object each time; indexing it once
    /// makes the import of the 3,000-entry file several times faster, which start-up pays for.
    /// </summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, JsonElement> _byName;

        public Fields(JsonElement element)
        {
            _byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in element.EnumerateObject())
            {
                _byName[p.Name] = p.Value;
                HasThresholds |= p.Name.EndsWith("k_tokens", StringComparison.Ordinal) || p.Name.Contains("k_tokens_", StringComparison.Ordinal);
            }
        }

        public IEnumerable<string> Names => _byName.Keys;

        /// <summary>Whether some member is named <c>*_above_{N}k_tokens*</c>: most are not, and need no scan for tiers.</summary>
        public bool HasThresholds { get; }

        public bool TryGet(string name, out JsonElement value) => _byName.TryGetValue(name, out value);
    }
}
