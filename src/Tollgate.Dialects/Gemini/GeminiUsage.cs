using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Reads Gemini's <c>usageMetadata</c> into a normalized <see cref="TokenUsage"/> and writes the OpenAI <c>usage</c> object.
/// </summary>
/// <remarks>
/// Gemini counts are not disjoint the way <see cref="TokenUsage"/> is: <c>promptTokenCount</c> already includes
/// <c>cachedContentTokenCount</c>, while <c>thoughtsTokenCount</c> is NOT inside <c>candidatesTokenCount</c> (the
/// recordings show <c>totalTokenCount = promptTokenCount + candidatesTokenCount + thoughtsTokenCount</c>), and thoughts
/// are billed as output. <c>toolUsePromptTokenCount</c> (tokens of tool results such as search) is billed as input.
/// </remarks>
public static class GeminiUsage
{
    /// <summary>Normalizes one <c>usageMetadata</c> object.</summary>
    public static TokenUsage Parse(JsonElement usageMetadata)
    {
        if (usageMetadata.ValueKind != JsonValueKind.Object)
        {
            return TokenUsage.Empty;
        }

        var prompt = Count(usageMetadata, "promptTokenCount");
        var cached = Math.Min(Count(usageMetadata, "cachedContentTokenCount"), prompt);
        var toolUse = Count(usageMetadata, "toolUsePromptTokenCount");
        var candidates = Count(usageMetadata, "candidatesTokenCount");
        var thoughts = Count(usageMetadata, "thoughtsTokenCount");

        // Audio is reported per modality; the cached share of audio is not billed at the audio input rate.
        var audioIn = Math.Max(0, Modality(usageMetadata, "promptTokensDetails", "AUDIO") - Modality(usageMetadata, "cacheTokensDetails", "AUDIO"));
        var audioOut = Modality(usageMetadata, "candidatesTokensDetails", "AUDIO");

        var input = prompt - cached + toolUse;
        return new TokenUsage
        {
            InputTokens = input,
            CacheReadTokens = cached,
            OutputTokens = candidates + thoughts,
            ReasoningTokens = thoughts,
            InputAudioTokens = Math.Min(audioIn, input),
            OutputAudioTokens = Math.Min(audioOut, candidates),
        };
    }

    /// <summary>
    /// Normalizes the <c>usageMetadata</c> of a whole GenerateContentResponse body; null when it has none.
    /// </summary>
    public static TokenUsage? ParseResponse(ReadOnlySpan<byte> generateContentResponseJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(generateContentResponseJson.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("usageMetadata", out var u)
                ? Parse(u)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes OpenAI's <c>usage</c> object (the property value, not its name): <c>prompt_tokens</c> is all input
    /// (uncached and cached), <c>completion_tokens</c> all output including thoughts, with the cached and reasoning
    /// parts in the details objects, and <c>cost</c> in USD when given.
    /// </summary>
    public static void WriteOpenAIUsage(Utf8JsonWriter writer, TokenUsage usage, decimal? cost = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(usage);
        writer.WriteStartObject();
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CacheReadTokens);
        writer.WriteNumber("audio_tokens", usage.InputAudioTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteNumber("audio_tokens", usage.OutputAudioTokens);
        writer.WriteEndObject();
        if (cost is { } c)
        {
            writer.WriteNumber("cost", c);
        }

        writer.WriteEndObject();
    }

    private static long Count(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static long Modality(JsonElement obj, string detailsName, string modality)
    {
        if (!obj.TryGetProperty(detailsName, out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long total = 0;
        foreach (var d in details.EnumerateArray())
        {
            if (d.ValueKind == JsonValueKind.Object
                && d.TryGetProperty("modality", out var m) && m.ValueEquals(modality))
            {
                total += Count(d, "tokenCount");
            }
        }

        return total;
    }
}
