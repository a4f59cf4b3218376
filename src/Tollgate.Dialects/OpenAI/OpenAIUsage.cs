using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.OpenAI;

/// <summary>
/// Reads the <c>usage</c> object that OpenAI-dialect providers send (a non-streaming response's
/// <c>usage</c>, the last stream chunk's <c>usage</c>, an embeddings response's <c>usage</c>) and
/// normalizes it into <see cref="TokenUsage"/>, where every token is counted once.
/// </summary>
/// <remarks>
/// Provider quirks, each backed by a recording in <c>shared/fixtures/provider-recordings</c>:
/// <list type="bullet">
/// <item>OpenAI, xAI, Zhipu, OpenRouter, Together: <c>prompt_tokens</c> includes
/// <c>prompt_tokens_details.cached_tokens</c>, so uncached input is the difference.</item>
/// <item>DeepSeek: <c>prompt_cache_hit_tokens</c> / <c>prompt_cache_miss_tokens</c> are its own split of
/// the prompt and win over <c>prompt_tokens_details</c> when present.</item>
/// <item>Moonshot: a top-level <c>cached_tokens</c> (inside <c>prompt_tokens</c>).</item>
/// <item>OpenRouter: <c>prompt_tokens_details.cache_write_tokens</c>, also inside <c>prompt_tokens</c> (its
/// documented example: 194 prompt with 100 written, total 196 = 194 + 2). The wire does not say which cache
/// lifetime was written, so writes count as 5-minute ones, Anthropic's default.</item>
/// <item>Reasoning: OpenAI, DeepSeek and Moonshot count <c>completion_tokens_details.reasoning_tokens</c>
/// inside <c>completion_tokens</c>; xAI does not (its <c>total_tokens</c> is prompt + completion +
/// reasoning, and its own <c>cost_in_usd_ticks</c> bills completion + reasoning as output). See
/// <see cref="ReasoningIsExtra"/> for how the two are told apart.</item>
/// <item>Groq (<c>queue_time</c>, <c>prompt_time</c>, ...), xAI (<c>num_sources_used</c>,
/// <c>cost_in_usd_ticks</c>) and other extra fields are ignored.</item>
/// </list>
/// A known field holding a string, a fraction or a negative number makes the whole usage invalid:
/// a cost computed from half-understood numbers is worse than an honest "no usage".
/// A known field holding <c>null</c> counts as absent (providers send <c>"completion_tokens_details": null</c>).
/// </remarks>
public static class OpenAIUsage
{
    /// <summary>The largest token count taken as real (about 10^12); larger numbers are garbage, not usage.</summary>
    private const long MaxCount = 1L << 40;

    /// <summary>Parses the UTF-8 JSON of a <c>usage</c> object.</summary>
    /// <param name="usageJson">The usage value, e.g. <c>{"prompt_tokens":16,"completion_tokens":300,...}</c>.</param>
    /// <param name="usage">The normalized usage, or <see cref="TokenUsage.Empty"/> when this returns false.</param>
    /// <returns>False for <c>null</c>, a non-object, malformed JSON or numbers that cannot be token counts; never throws.</returns>
    public static bool TryParse(ReadOnlySpan<byte> usageJson, out TokenUsage usage)
    {
        var reader = new Utf8JsonReader(usageJson, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                usage = TokenUsage.Empty;
                return false;
            }

            // Anything after the object (a second value, stray text) makes the input garbage.
            var ok = TryParseObject(ref reader, out usage);
            if (reader.Read())
            {
                usage = TokenUsage.Empty;
                return false;
            }

            return ok;
        }
        catch (JsonException)
        {
            usage = TokenUsage.Empty;
            return false;
        }
    }

    /// <summary>
    /// Parses the usage object the reader is positioned on (its <see cref="JsonTokenType.StartObject"/>).
    /// On return the reader is on the object's <see cref="JsonTokenType.EndObject"/>, whether or not the
    /// numbers were valid. When the reader is on another token it is left there and false is returned;
    /// when the JSON itself is malformed or incomplete, false is returned and the reader's position is unspecified.
    /// </summary>
    public static bool TryParse(ref Utf8JsonReader reader, out TokenUsage usage)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            usage = TokenUsage.Empty;
            return false;
        }

        try
        {
            return TryParseObject(ref reader, out usage);
        }
        catch (JsonException)
        {
            usage = TokenUsage.Empty;
            return false;
        }
    }

    /// <summary>
    /// Finds the top-level <c>usage</c> property of a whole response or stream chunk and parses it,
    /// skipping every other value without materializing it. A <c>"usage": null</c> (intermediate chunks) is passed over.
    /// The rest of the body is still read to its end, so a truncated or malformed body yields false.
    /// </summary>
    /// <returns>False when the body has no usable top-level <c>usage</c> object or is not valid JSON; never throws.</returns>
    public static bool TryFindUsage(ReadOnlySpan<byte> responseJson, out TokenUsage usage)
    {
        usage = TokenUsage.Empty;
        var reader = new Utf8JsonReader(responseJson, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = !found && reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    found = TryParseObject(ref reader, out usage);
                    if (!found)
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            // The loop ends on the body's EndObject; anything after it is garbage (Read throws on it).
            if (reader.Read())
            {
                found = false;
            }

            if (!found)
            {
                usage = TokenUsage.Empty;
            }

            return found;
        }
        catch (JsonException)
        {
            usage = TokenUsage.Empty;
            return false;
        }
    }

    /// <summary>
    /// Decides whether reasoning tokens come on top of <c>completion_tokens</c> (xAI) rather than inside it
    /// (OpenAI and everyone else). The rule, from the numbers alone so no provider name is needed:
    /// <list type="number">
    /// <item>No reasoning tokens: nothing to decide (inside).</item>
    /// <item><c>total_tokens</c> present: extra exactly when total = prompt + completion + reasoning.
    /// Because reasoning &gt; 0, that total cannot also equal prompt + completion, so the two readings never
    /// tie. xAI's recordings: 291 + 26 + 196 = 513 and 291 + 26 + 189 = 506.</item>
    /// <item>No <c>total_tokens</c>: extra when reasoning &gt; completion, since a part cannot exceed its whole.</item>
    /// </list>
    /// </summary>
    private static bool ReasoningIsExtra(long prompt, long completion, long reasoning, long total) =>
        reasoning > 0 && (total >= 0 ? total == prompt + completion + reasoning : reasoning > completion);

    private static bool TryParseObject(ref Utf8JsonReader reader, out TokenUsage usage)
    {
        // -1 marks "absent"; every field is counted once no matter how many of these the provider sends.
        long prompt = -1, completion = -1, total = -1;
        long cachedDetail = -1, cachedTop = -1, cacheHit = -1, cacheMiss = -1, cacheWrite = -1, unused = -1;
        long reasoning = -1, audioIn = -1, audioOut = -1;
        var valid = true;
        var depth = reader.CurrentDepth;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref prompt);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref completion);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref total);
            }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref cacheHit);
            }
            else if (reader.ValueTextEquals("prompt_cache_miss_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref cacheMiss);
            }
            else if (reader.ValueTextEquals("cached_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref cachedTop);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                valid &= ReadDetails(ref reader, prompt: true, ref cachedDetail, ref cacheWrite, ref audioIn);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                valid &= ReadDetails(ref reader, prompt: false, ref reasoning, ref unused, ref audioOut);
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                // Unknown fields (Groq's timings, xAI's cost ticks, x_groq, ...) are skipped whole.
                throw new JsonException("Incomplete usage object.");
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != depth)
        {
            throw new JsonException("Incomplete usage object.");
        }

        usage = TokenUsage.Empty;
        if (!valid || prompt < 0)
        {
            return false;
        }

        completion = Math.Max(completion, 0);
        reasoning = Math.Max(reasoning, 0);
        cacheWrite = Math.Max(cacheWrite, 0);

        long input, cacheRead;
        if (cacheHit >= 0 || cacheMiss >= 0)
        {
            // DeepSeek's own split of the prompt; it agrees with prompt_tokens in every recording.
            cacheRead = Math.Max(cacheHit, 0);
            input = cacheMiss >= 0 ? cacheMiss : prompt - cacheRead;
        }
        else
        {
            cacheRead = Math.Max(Math.Max(cachedDetail, cachedTop), 0);
            input = prompt - cacheRead - cacheWrite;
        }

        if (input < 0)
        {
            return false;
        }

        long output;
        if (ReasoningIsExtra(prompt, completion, reasoning, total))
        {
            output = completion + reasoning;
        }
        else
        {
            if (reasoning > completion)
            {
                // Total says "inside" but the part exceeds the whole: the numbers contradict each other.
                return false;
            }

            output = completion;
        }

        usage = new TokenUsage
        {
            InputTokens = input,
            CacheReadTokens = cacheRead,
            CacheWrite5mTokens = cacheHit >= 0 || cacheMiss >= 0 ? 0 : cacheWrite,
            OutputTokens = output,
            ReasoningTokens = reasoning,
            InputAudioTokens = Math.Min(Math.Max(audioIn, 0), input),
            OutputAudioTokens = Math.Min(Math.Max(audioOut, 0), output),
        };
        return true;
    }

    /// <summary>
    /// Reads <c>prompt_tokens_details</c> (<c>cached_tokens</c>, <c>cache_write_tokens</c>, <c>audio_tokens</c>) or
    /// <c>completion_tokens_details</c> (<c>reasoning_tokens</c>, <c>audio_tokens</c>); the rest is skipped.
    /// </summary>
    private static bool ReadDetails(ref Utf8JsonReader reader, bool prompt, ref long first, ref long second, ref long audio)
    {
        if (!reader.Read())
        {
            throw new JsonException("Incomplete usage object.");
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TrySkip() ? false : throw new JsonException("Incomplete usage object.");
        }

        var valid = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(prompt ? "cached_tokens"u8 : "reasoning_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref first);
            }
            else if (prompt && reader.ValueTextEquals("cache_write_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref second);
            }
            else if (reader.ValueTextEquals("audio_tokens"u8))
            {
                valid &= ReadCount(ref reader, ref audio);
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                throw new JsonException("Incomplete usage object.");
            }
        }

        return reader.TokenType == JsonTokenType.EndObject ? valid : throw new JsonException("Incomplete usage object.");
    }

    /// <summary>
    /// Reads a token count: a non-negative integer up to <see cref="MaxCount"/>, or null (absent). Anything else is
    /// invalid; the cap keeps sums of counts far from overflow.
    /// </summary>
    private static bool ReadCount(ref Utf8JsonReader reader, ref long value)
    {
        if (!reader.Read())
        {
            throw new JsonException("Incomplete usage object.");
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out var n) && n is >= 0 and <= MaxCount:
                value = n;
                return true;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                return reader.TrySkip() ? false : throw new JsonException("Incomplete usage object.");
            default:
                return false;
        }
    }
}
