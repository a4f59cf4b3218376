using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic;

/// <summary>
/// Reads Anthropic's <c>usage</c> object into a normalized <see cref="TokenUsage"/>, and writes usage in
/// OpenAI's shape for clients of the OpenAI dialect.
/// </summary>
public static class AnthropicUsage
{
    /// <summary>
    /// Parses an Anthropic <c>usage</c> object. Anthropic's <c>input_tokens</c> already excludes cache reads
    /// and writes, so it maps to <see cref="TokenUsage.InputTokens"/> unchanged. Cache writes come from the
    /// <c>cache_creation</c> split when present; without one, all of <c>cache_creation_input_tokens</c> counts
    /// as 5 minute writes (the API's default lifetime).
    /// </summary>
    /// <param name="usage">The <c>usage</c> JSON object.</param>
    /// <returns>The normalized usage; <see cref="TokenUsage.Empty"/> values for a non-object.</returns>
    public static TokenUsage Parse(JsonElement usage)
    {
        var accumulator = new AnthropicUsageAccumulator();
        accumulator.Apply(usage);
        return accumulator.ToTokenUsage();
    }

    /// <summary>Parses an Anthropic <c>usage</c> object given as UTF-8 JSON.</summary>
    /// <param name="usageJson">The <c>usage</c> object's bytes.</param>
    /// <returns>The normalized usage.</returns>
    public static TokenUsage Parse(ReadOnlySpan<byte> usageJson)
    {
        var reader = new Utf8JsonReader(usageJson);
        using var document = JsonDocument.ParseValue(ref reader);
        return Parse(document.RootElement);
    }

    /// <summary>
    /// Writes <paramref name="usage"/> as an OpenAI <c>usage</c> object (the value only; the caller writes the
    /// property name): <c>prompt_tokens</c> is the total of every input kind, <c>prompt_tokens_details.cached_tokens</c>
    /// the cache reads, plus <c>cache_creation_input_tokens</c> so clients can see cache writes, and <c>cost</c>
    /// in USD when known.
    /// </summary>
    /// <param name="usage">The normalized usage.</param>
    /// <param name="cost">The request's cost in USD, or null to leave <c>cost</c> out.</param>
    /// <param name="writer">The writer positioned where a value may be written.</param>
    public static void ToOpenAIUsageJson(TokenUsage usage, decimal? cost, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(writer);

        writer.WriteStartObject();
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, usage.OutputTokens);
        writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, usage.CacheReadTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWrite5mTokens + usage.CacheWrite1hTokens);
        writer.WriteNumber("cache_read_input_tokens"u8, usage.CacheReadTokens);
        if (cost is { } c)
        {
            writer.WriteNumber("cost"u8, c);
        }

        writer.WriteEndObject();
    }
}
