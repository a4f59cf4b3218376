using System.Buffers;
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

    /// <summary>
    /// Bytes of string text that <see cref="BoundPrompt"/> runs through the tokenizer per request; past it, a string
    /// counts one token per byte of its JSON form (an upper bound for every byte-level BPE tokenizer), so a 12 MB
    /// prompt costs a byte count, not a tokenizer pass over megabytes.
    /// </summary>
    public const int TokenizedBytesPerRequest = 256 * 1024;

    /// <summary>
    /// An upper bound of the input tokens a provider can bill for <paramref name="json"/> (a <c>messages</c> array,
    /// an embeddings <c>input</c>, tool definitions, a schema, or a whole body), for admission. Like
    /// <see cref="CountPrompt"/> it counts every string and 4 tokens per object at depth 1, and besides: a number
    /// counts 1 token (token arrays are billed one token each); with <paramref name="names"/> property names count
    /// too (a tool's or schema's names are rendered into the prompt); an <c>image_url</c> value counts as one image
    /// in <see cref="PromptBound.Images"/> (its tokens depend on the model, see <see cref="ImageTokens"/>); the base64
    /// payload of audio and files (a string under <c>data</c> or <c>file_data</c>) counts one token per character.
    /// Invalid JSON counts what was read before the error.
    /// </summary>
    /// <param name="tokenize">False: every string counts one token per byte of its JSON form, with no tokenizer pass (admission's first, free bound).</param>
    public static PromptBound BoundPrompt(ReadOnlySpan<byte> json, bool names = false, bool tokenize = true)
    {
        if (json.IsEmpty)
        {
            return default;
        }

        long tokens = 0;
        long images = 0;
        var tokenizerBudget = tokenize ? TokenizedBytesPerRequest : 0;
        char[]? buffer = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            var payload = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject when reader.CurrentDepth == 1:
                        tokens += 4;
                        break;
                    case JsonTokenType.Number:
                        tokens++;
                        break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueTextEquals("image_url"u8))
                        {
                            // The image's URL or data is not text the tokenizer sees: the model bills it as image tokens.
                            images++;
                            reader.Read();
                            reader.Skip();
                            break;
                        }

                        payload = reader.ValueTextEquals("data"u8) || reader.ValueTextEquals("file_data"u8);
                        if (names)
                        {
                            tokens += CountString(ref reader, ref tokenizerBudget, ref buffer);
                        }

                        break;
                    case JsonTokenType.String:
                        tokens += payload ? reader.ValueSpan.Length : CountString(ref reader, ref tokenizerBudget, ref buffer);
                        payload = false;
                        break;
                    default:
                        payload = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }

        return new PromptBound(tokens, images);
    }

    /// <summary>
    /// The most input tokens one image in the prompt can be billed on <paramref name="modelId"/>: OpenAI's
    /// gpt-4o-mini bills 2,833 + 5,667 per 512 px tile, 8 tiles at most (2048 × 768 high detail): 48,169; every other
    /// model is bounded by 8,000 (OpenAI's tiled models 85 + 8 × 170 = 1,445, patch models 1,536 patches × 2.46 =
    /// 3,779 on gpt-4.1-nano, Anthropic about 1,600, Gemini 258 per 768 px tile, 16 tiles at 3072 px = 4,128).
    /// </summary>
    public static long ImageTokens(string modelId) =>
        modelId.Contains("gpt-4o-mini", StringComparison.OrdinalIgnoreCase) ? 48_169 : 8_000;

    /// <summary>Bytes without a space or line break past which a string is counted by its bytes: BPE merges within one long word cost more than linear time.</summary>
    public const int LongWordBytes = 2048;

    private static bool HasLongWord(ReadOnlySpan<byte> text)
    {
        while (text.Length > LongWordBytes)
        {
            var gap = text[..(LongWordBytes + 1)].IndexOfAny((byte)' ', (byte)'\\');
            if (gap < 0)
            {
                return true;
            }

            text = text[(gap + 1)..];
        }

        return false;
    }

    private static long CountString(ref Utf8JsonReader reader, ref int tokenizerBudget, ref char[]? buffer)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (raw == 0)
        {
            return 0;
        }

        if (raw > tokenizerBudget || HasLongWord(reader.ValueSpan))
        {
            // One token per byte of the JSON text: the unescaped UTF-8 is never longer, and no BPE token is shorter than a byte.
            return raw;
        }

        tokenizerBudget -= (int)raw;
        if (buffer is null || buffer.Length < raw)
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }

            buffer = ArrayPool<char>.Shared.Rent((int)Math.Max(raw, 1024));
        }

        var n = reader.CopyString(buffer);
        return s_tokenizer.Value.CountTokens(buffer.AsSpan(0, n));
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
