using System.Globalization;
using System.Text.Json;

namespace Tollgate.Core.Catalog;

/// <summary>
/// Imports LiteLLM's <c>model_prices_and_context_window.json</c>: an object keyed by model name whose values
/// carry <c>litellm_provider</c>, <c>mode</c>, limits, <c>supports_*</c> flags and prices in USD per token.
/// Prices become USD per 1M tokens, converted exactly: the JSON number text is read as a decimal, never
/// through a double, so <c>2.5e-06</c> becomes exactly <c>2.5</c>.
/// </summary>
/// <remarks>
/// <para>Provider ids: LiteLLM's names map to Tollgate's where they differ (<c>together_ai</c> -&gt; <c>together</c>,
/// <c>zai</c> -&gt; <c>zhipu</c>, <c>fireworks_ai</c> -&gt; <c>fireworks</c>, <c>text-completion-openai</c> -&gt;
/// <c>openai</c>); every other name is kept, lower-cased. <c>gemini</c> is the Gemini API (AI Studio, the one
/// <c>GEMINI_API_KEY</c> reaches); LiteLLM's <c>vertex_ai</c> and <c>vertex_ai-*</c> families all become
/// <c>vertex</c>, a provider of its own, because Vertex AI has its own endpoint, auth and at times prices, and
/// folding it into <c>gemini</c> would make two entries fight over one name.</para>
/// <para>Model name: the key, without a leading <c>provider/</c> segment when that segment names the entry's
/// own provider (<c>groq/openai/gpt-oss-120b</c> -&gt; <c>openai/gpt-oss-120b</c>). When two keys give the same
/// provider/model (<c>deepseek-chat</c> and <c>deepseek/deepseek-chat</c>), the provider-prefixed key wins,
/// being the form LiteLLM itself prices provider calls by; the other is counted as a skipped duplicate.</para>
/// <para>Long context: <c>*_above_{N}k_tokens</c> prices become <see cref="LongContextPrices"/> with a threshold of
/// N × 1000 tokens, billed for the whole request (how LiteLLM, Anthropic and Gemini apply them); the lowest N wins
/// if a model has several. Batch, flex and priority tiers need both an input and an output price, else the tier
/// is left out (a half-priced tier would bill output at a guess).</para>
/// </remarks>
public static class LiteLlmImporter
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>Keys that describe the file rather than a model.</summary>
    private static readonly HashSet<string> s_nonModelKeys = new(StringComparer.Ordinal) { "sample_spec", "fallback_generalizations" };

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

            var source = new CatalogSource { File = sourceFile, Date = sourceDate };
            var models = new List<ModelEntry>();
            var byId = new Dictionary<string, (int Index, bool Prefixed)>(StringComparer.OrdinalIgnoreCase);
            var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
            var bad = new List<LiteLlmBadEntry>();

            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var outcome = ReadEntry(property.Name, property.Value, source, out var entry, out var prefixed, out var reason);
                switch (outcome)
                {
                    case Outcome.Imported:
                        if (byId.TryGetValue(entry!.Id, out var earlier))
                        {
                            Count(skipped, "duplicate");
                            if (prefixed && !earlier.Prefixed)
                            {
                                models[earlier.Index] = entry;
                                byId[entry.Id] = (earlier.Index, true);
                            }
                        }
                        else
                        {
                            byId[entry.Id] = (models.Count, prefixed);
                            models.Add(entry);
                        }

                        break;
                    case Outcome.NotAModel:
                        Count(skipped, "not a model");
                        break;
                    case Outcome.NoTokenPrice:
                        Count(skipped, "no token price");
                        break;
                    default:
                        bad.Add(new LiteLlmBadEntry(property.Name, reason!));
                        break;
                }
            }

            return new LiteLlmImportResult { Models = models, SkippedByReason = skipped, Bad = bad };
        }
    }

    /// <summary>Reads a LiteLLM price file from disk; the source is the file's name.</summary>
    public static LiteLlmImportResult Import(string path, string? sourceDate = null)
    {
        using var stream = File.OpenRead(path);
        return Import(stream, Path.GetFileName(path), sourceDate);
    }

    private enum Outcome
    {
        Imported,
        NotAModel,
        NoTokenPrice,
        Bad,
    }

    private static Outcome ReadEntry(string key, JsonElement value, CatalogSource source, out ModelEntry? entry, out bool prefixed, out string? reason)
    {
        entry = null;
        prefixed = false;
        reason = null;
        if (s_nonModelKeys.Contains(key))
        {
            return Outcome.NotAModel;
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
            return Outcome.NotAModel;
        }

        var errors = new List<string>();
        var input = Price(value, "input_cost_per_token", errors);
        var output = Price(value, "output_cost_per_token", errors);
        if (errors.Count == 0 && input is null && output is null)
        {
            return Outcome.NoTokenPrice;
        }

        var prices = new ModelPrices
        {
            Input = input ?? 0m,
            Output = output ?? 0m,
            CachedInput = Price(value, "cache_read_input_token_cost", errors),
            CacheWrite5m = Price(value, "cache_creation_input_token_cost", errors),
            CacheWrite1h = Price(value, "cache_creation_input_token_cost_above_1hr", errors),
            InputAudio = Price(value, "input_cost_per_audio_token", errors),
            OutputAudio = Price(value, "output_cost_per_audio_token", errors),
            Batch = Tier(value, "input_cost_per_token_batches", "output_cost_per_token_batches", null, errors),
            Flex = Tier(value, "input_cost_per_token_flex", "output_cost_per_token_flex", "cache_read_input_token_cost_flex", errors),
            Priority = Tier(value, "input_cost_per_token_priority", "output_cost_per_token_priority", "cache_read_input_token_cost_priority", errors),
            LongContext = LongContext(value, input ?? 0m, output ?? 0m, errors),
        };

        if (errors.Count > 0)
        {
            reason = string.Join("; ", errors);
            return Outcome.Bad;
        }

        var litellmProvider = providerElement.GetString()!;
        var provider = MapProvider(litellmProvider);
        var model = key;
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
                model = key[(slash + 1)..];
                prefixed = true;
            }
        }

        entry = new ModelEntry
        {
            Provider = provider,
            Model = model,
            Mode = MapMode(modeElement.GetString()!),
            ContextWindow = Count(value, "max_input_tokens"),
            MaxOutput = Count(value, "max_output_tokens"),
            Capabilities = Capabilities(value),
            Prices = prices,
            Source = source,
        };
        return Outcome.Imported;
    }

    /// <summary>The Tollgate provider id for a LiteLLM provider name (see the class remarks).</summary>
    public static string MapProvider(string litellmProvider)
    {
        ArgumentNullException.ThrowIfNull(litellmProvider);
        if (s_providers.TryGetValue(litellmProvider, out var id))
        {
            return id;
        }

        return litellmProvider.Equals("vertex_ai", StringComparison.OrdinalIgnoreCase)
            || litellmProvider.StartsWith("vertex_ai-", StringComparison.OrdinalIgnoreCase)
            ? "vertex"
            : litellmProvider.ToLowerInvariant();
    }

    private static string MapMode(string mode) => mode switch
    {
        "image_generation" or "image_edit" => "image",
        "audio_transcription" or "audio_speech" => "audio",
        "video_generation" => "video",
        _ => mode,
    };

    /// <summary>
    /// A per-token price as USD per 1M tokens, or null when absent (or JSON null). A string, a boolean or a
    /// negative number is an error: such an entry is reported, not imported with a made-up price.
    /// </summary>
    private static decimal? Price(JsonElement entry, string name, List<string> errors)
    {
        if (!entry.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            errors.Add($"{name} is a {element.ValueKind.ToString().ToLowerInvariant()}, not a number");
            return null;
        }

        if (!element.TryGetDecimal(out var perToken))
        {
            errors.Add($"{name} ({element.GetRawText()}) is out of range");
            return null;
        }

        if (perToken < 0)
        {
            errors.Add($"{name} is negative ({element.GetRawText()})");
            return null;
        }

        return Normalize(perToken * PerMillion);
    }

    /// <summary>Drops trailing zeros (2.5000000 -&gt; 2.5) so catalog files and CLI output show the price as written.</summary>
    private static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    private static TierPrices? Tier(JsonElement entry, string inputName, string outputName, string? cachedName, List<string> errors)
    {
        var input = Price(entry, inputName, errors);
        var output = Price(entry, outputName, errors);
        var cached = cachedName is null ? null : Price(entry, cachedName, errors);
        return input is null || output is null ? null : new TierPrices { Input = input.Value, Output = output.Value, CachedInput = cached };
    }

    private static LongContextPrices? LongContext(JsonElement entry, decimal input, decimal output, List<string> errors)
    {
        // Find the lowest N of input_cost_per_token_above_{N}k_tokens / output_cost_per_token_above_{N}k_tokens.
        long? thousands = null;
        foreach (var p in entry.EnumerateObject())
        {
            var rest = p.Name.StartsWith("input_cost_per_token_above_", StringComparison.Ordinal) ? p.Name["input_cost_per_token_above_".Length..]
                : p.Name.StartsWith("output_cost_per_token_above_", StringComparison.Ordinal) ? p.Name["output_cost_per_token_above_".Length..]
                : null;
            if (rest is not null && rest.EndsWith("k_tokens", StringComparison.Ordinal)
                && long.TryParse(rest.AsSpan(0, rest.Length - "k_tokens".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n > 0 && (thousands is null || n < thousands))
            {
                thousands = n;
            }
        }

        if (thousands is null)
        {
            return null;
        }

        var suffix = $"_above_{thousands}k_tokens";
        return new LongContextPrices
        {
            ThresholdTokens = thousands.Value * 1000,
            WholeRequest = true,
            Input = Price(entry, "input_cost_per_token" + suffix, errors) ?? input,
            Output = Price(entry, "output_cost_per_token" + suffix, errors) ?? output,
            CachedInput = Price(entry, "cache_read_input_token_cost" + suffix, errors),
            CacheWrite5m = Price(entry, "cache_creation_input_token_cost" + suffix, errors),
            CacheWrite1h = Price(entry, "cache_creation_input_token_cost_above_1hr" + suffix, errors),
        };
    }

    /// <summary>A token limit; LiteLLM writes some as floats (<c>256000.0</c>) and a few as prose, which are ignored.</summary>
    private static long? Count(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetDecimal(out var d) && d > 0 && d == decimal.Truncate(d) && d <= long.MaxValue
            ? (long)d
            : null;

    private static IReadOnlyList<string> Capabilities(JsonElement entry)
    {
        var list = new List<string>();
        foreach (var (flag, capability) in s_capabilities)
        {
            if (entry.TryGetProperty(flag, out var element) && element.ValueKind == JsonValueKind.True)
            {
                list.Add(capability);
            }
        }

        return list;
    }

    private static void Count(Dictionary<string, int> counts, string reason) =>
        counts[reason] = counts.GetValueOrDefault(reason) + 1;
}
