using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Tollgate.Core.Usage;

namespace Tollgate.Gateway.Settlement;

/// <summary>
/// Counts tokens with the o200k tokenizer when a provider reports no usage (a stream cut short). The result
/// is an estimate for every provider but OpenAI's newer models, and the ledger marks it so.
/// </summary>
internal static class TokenEstimator
{
    private static readonly Lazy<Tokenizer> s_tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    /// <summary>Tokens in the text fields of a <c>messages</c> array or an <c>input</c> value, plus a small per-message overhead.</summary>
    public static long CountPrompt(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return 0;
        }

        long tokens = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 1)
                {
                    tokens += 4;
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    tokens += Count(reader.GetString());
                }
            }
        }
        catch (JsonException)
        {
        }

        return tokens;
    }

    /// <summary>Tokens of the text a stream delivered: every <c>content</c>, <c>reasoning_content</c> and tool-call <c>arguments</c> fragment of its chunks.</summary>
    public static long CountCompletion(IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        var text = new StringBuilder();
        foreach (var chunk in chunks)
        {
            try
            {
                var reader = new Utf8JsonReader(chunk.Span);
                string? property = null;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        property = reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.String && property is "content" or "reasoning_content" or "arguments" or "refusal")
                    {
                        text.Append(reader.GetString());
                    }
                }
            }
            catch (JsonException)
            {
            }
        }

        return Count(text.ToString());
    }

    public static TokenUsage Estimate(long promptTokens, long completionTokens) =>
        new() { InputTokens = promptTokens, OutputTokens = completionTokens };

    private static long Count(string? text) => string.IsNullOrEmpty(text) ? 0 : s_tokenizer.Value.CountTokens(text);
}
