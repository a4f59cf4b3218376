using System.Buffers;
using System.Text.Json;
using Tollgate.Core.Pricing;

namespace Tollgate.Dialects.OpenAI;

/// <summary>
/// Reads and rewrites OpenAI-shaped request bodies on the passthrough path. Reading walks the tokens once
/// with <see cref="Utf8JsonReader"/> (which also proves the body is well-formed JSON); rewriting copies the
/// body with only the model name replaced and, for streams, <c>stream_options</c> set so usage always comes back.
/// </summary>
public static class OpenAIRequestReader
{
    /// <summary>Which kind of request the body is; it decides the required fields.</summary>
    public enum Kind
    {
        Chat,
        Embeddings,

        /// <summary>Anthropic's Messages API: the same top-level fields the gateway reads.</summary>
        Messages,

        /// <summary>Anthropic's <c>/v1/messages/count_tokens</c>: a Messages request, never streamed.</summary>
        CountTokens,

        /// <summary>OpenAI's Responses API (<c>/v1/responses</c>): <c>input</c>, <c>max_output_tokens</c>, <c>previous_response_id</c>, <c>store</c>.</summary>
        Responses,

        /// <summary>Images, speech, moderations: only <c>model</c> is required; the endpoint's dialect checks the rest.</summary>
        Modality,
    }

    /// <summary>The fields of a request that is not JSON (a multipart upload): its model, nothing to rewrite.</summary>
    public static OpenAIRequest ForModel(string? model, Kind kind) => new()
    {
        Kind = kind,
        Model = model,
        Error = string.IsNullOrEmpty(model) ? "you must provide a model parameter" : null,
        ErrorParam = string.IsNullOrEmpty(model) ? "model" : null,
    };

    public static OpenAIRequest Read(ReadOnlySpan<byte> body, Kind kind)
    {
        var request = new OpenAIRequest { Kind = kind };
        try
        {
            ReadCore(body, kind, request);
            if (request.Error is null && !IsValidText(body))
            {
                Fail(request, "The request body holds text that is not valid Unicode (invalid UTF-8 or an unpaired UTF-16 surrogate escape).", null);
            }
        }
        catch (JsonException ex)
        {
            request.Error = "The request body is not valid JSON: " + ex.Message;
            request.ErrorParam = null;
        }

        return request;
    }

    /// <summary>
    /// Whether every string can be decoded: valid UTF-8 throughout and no unpaired surrogate escape (<c>"\ud800"</c>),
    /// which the gateway's tokenizer and a provider would read differently. Both checks are vectorized scans; strings
    /// are decoded only in the rare body that holds a surrogate escape at all.
    /// </summary>
    private static bool IsValidText(ReadOnlySpan<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return false;
        }

        if (body.IndexOf("\\ud"u8) < 0 && body.IndexOf("\\uD"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return true;
    }

    private static void ReadCore(ReadOnlySpan<byte> body, Kind kind, OpenAIRequest request)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Fail(request, "The request body must be a JSON object.", null);
            return;
        }

        request.RootStart = (int)reader.TokenStartIndex;
        var seen = 0;
        var previousValueEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A member the gateway reads may appear once: with two, the gateway and the provider could each take another.
            var bit = MemberBit(ref reader, kind);
            if (bit != 0)
            {
                if ((seen & bit) != 0)
                {
                    Fail(request, $"The member '{reader.GetString()}' appears more than once in the request body.", reader.GetString());
                }

                seen |= bit;
            }

            var nameStart = (int)reader.TokenStartIndex;
            if (reader.ValueTextEquals("models"u8) && kind is not (Kind.Embeddings or Kind.Modality))
            {
                reader.Read();
                ReadModels(ref reader, request, body);
                var end = (int)reader.BytesConsumed;

                // The member and one comma beside it, so the body stays valid JSON once it is cut out.
                if (previousValueEnd >= 0)
                {
                    request.ModelsCut = (previousValueEnd, end);
                }
                else
                {
                    var next = end;
                    while (next < body.Length && body[next] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    {
                        next++;
                    }

                    request.ModelsCut = (nameStart, next < body.Length && body[next] == (byte)',' ? next + 1 : end);
                }

                previousValueEnd = end;
                continue;
            }

            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    Fail(request, "'model' must be a string.", "model");
                    reader.Skip();
                    continue;
                }

                request.ModelStart = (int)reader.TokenStartIndex;
                request.ModelEnd = (int)reader.BytesConsumed;
                request.Model = reader.GetString();
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    request.Stream = reader.GetBoolean();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Fail(request, "'stream' must be a boolean.", "stream");
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                request.StreamOptionsStart = (int)reader.TokenStartIndex;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadStreamOptions(ref reader, request);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Fail(request, "'stream_options' must be an object.", "stream_options");
                    reader.Skip();
                }

                request.StreamOptionsEnd = (int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || (kind == Kind.Responses && reader.ValueTextEquals("max_output_tokens"u8)))
            {
                var isCompletion = !reader.ValueTextEquals("max_tokens"u8);
                var name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max) && max > 0)
                {
                    if (isCompletion || request.MaxTokens is null)
                    {
                        request.MaxTokens = max;
                    }
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Fail(request, $"'{name}' must be a positive integer.", name);
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                request.MessagesStart = (int)reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    Fail(request, "'messages' must be an array.", "messages");
                }

                reader.Skip();
                request.MessagesEnd = (int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("service_tier"u8))
            {
                reader.Read();
                request.ServiceTier = reader.TokenType != JsonTokenType.String ? ServiceTier.Standard
                    : reader.ValueTextEquals("flex"u8) ? ServiceTier.Flex
                    : reader.ValueTextEquals("priority"u8) ? ServiceTier.Priority
                    : ServiceTier.Standard;
                reader.Skip();
            }
            else if (kind == Kind.Responses && reader.ValueTextEquals("previous_response_id"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    request.PreviousResponseId = reader.GetString();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Fail(request, "'previous_response_id' must be a string.", "previous_response_id");
                    reader.Skip();
                }
            }
            else if (kind == Kind.Responses && reader.ValueTextEquals("store"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    request.Store = reader.GetBoolean();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Fail(request, "'store' must be a boolean.", "store");
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                request.InputStart = (int)reader.TokenStartIndex;
                reader.Skip();
                request.InputEnd = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }

            previousValueEnd = (int)reader.BytesConsumed;
        }

        // Read to the end so trailing garbage is caught too.
        while (reader.Read())
        {
        }

        if (request.Error is not null)
        {
            return;
        }

        if (request.Model is null)
        {
            Fail(request, "you must provide a model parameter", "model");
        }
        else if (request.Model.Length == 0)
        {
            Fail(request, "'model' must not be empty.", "model");
        }
        else if (kind is Kind.Chat or Kind.Messages or Kind.CountTokens && request.MessagesStart < 0)
        {
            Fail(request, "Missing required parameter: 'messages'.", "messages");
        }
        else if (kind == Kind.Responses && request.InputStart < 0 && request.PreviousResponseId is null)
        {
            Fail(request, "Missing required parameter: 'input'.", "input");
        }
        else if (kind == Kind.Embeddings && request.InputStart < 0)
        {
            Fail(request, "Missing required parameter: 'input'.", "input");
        }
    }

    private static int MemberBit(ref Utf8JsonReader reader, Kind kind) =>
        kind == Kind.Responses && ResponsesMemberBit(ref reader) is var responses and not 0 ? responses
        : reader.ValueTextEquals("model"u8) ? 1
        : reader.ValueTextEquals("stream"u8) ? 2
        : reader.ValueTextEquals("stream_options"u8) ? 4
        : reader.ValueTextEquals("max_tokens"u8) ? 8
        : reader.ValueTextEquals("max_completion_tokens"u8) ? 16
        : reader.ValueTextEquals("messages"u8) ? 32
        : reader.ValueTextEquals("input"u8) ? 64
        : reader.ValueTextEquals("service_tier"u8) ? 128
        : reader.ValueTextEquals("models"u8) ? 256
        : 0;

    /// <summary>The Responses members the gateway's translation reads besides the common ones.</summary>
    private static int ResponsesMemberBit(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("max_output_tokens"u8) ? 512
        : reader.ValueTextEquals("previous_response_id"u8) ? 1024
        : reader.ValueTextEquals("store"u8) ? 2048
        : reader.ValueTextEquals("instructions"u8) ? 4096
        : reader.ValueTextEquals("tools"u8) ? 8192
        : reader.ValueTextEquals("text"u8) ? 16384
        : reader.ValueTextEquals("tool_choice"u8) ? 32768
        : reader.ValueTextEquals("reasoning"u8) ? 65536
        : reader.ValueTextEquals("temperature"u8) ? 131072
        : reader.ValueTextEquals("top_p"u8) ? 262144
        : reader.ValueTextEquals("parallel_tool_calls"u8) ? 524288
        : 0;

    /// <summary>OpenRouter's <c>models</c>: the fallback order after <c>model</c>, a list of model names.</summary>
    private static void ReadModels(ref Utf8JsonReader reader, OpenAIRequest request, ReadOnlySpan<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            Fail(request, "'models' must be an array of model names.", "models");
            reader.Skip();
            return;
        }

        var names = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } name)
            {
                Fail(request, "'models' must be an array of model names.", "models");
                reader.Skip();
                continue;
            }

            names.Add(name);
        }

        request.FallbackModels = names;
    }

    private static void ReadStreamOptions(ref Utf8JsonReader reader, OpenAIRequest request)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("include_usage"u8))
            {
                reader.Read();
                request.ClientIncludeUsage = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }

    private static void Fail(OpenAIRequest request, string message, string? param)
    {
        if (request.Error is null)
        {
            request.Error = message;
            request.ErrorParam = param;
        }
    }

    /// <summary>The body with OpenRouter's <c>models</c> member cut out (the body itself when it has none).</summary>
    public static ReadOnlyMemory<byte> WithoutFallbackModels(ReadOnlyMemory<byte> body, OpenAIRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ModelsCut is not { } cut)
        {
            return body;
        }

        var copy = new byte[body.Length - (cut.End - cut.Start)];
        body.Span[..cut.Start].CopyTo(copy);
        body.Span[cut.End..].CopyTo(copy.AsSpan(cut.Start));
        return copy;
    }

    /// <summary>
    /// Writes <paramref name="body"/> to <paramref name="output"/> with the model replaced by
    /// <paramref name="upstreamModel"/> and, for streams, <c>stream_options</c> set to include usage.
    /// </summary>
    public static void Rewrite(ReadOnlySpan<byte> body, OpenAIRequest request, JsonEncodedText upstreamModel, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var edits = (Span<(int Start, int End, int Kind)>)stackalloc (int, int, int)[3];
        var count = 0;
        if (request.ModelStart >= 0)
        {
            edits[count++] = (request.ModelStart, request.ModelEnd, 0);
        }

        if (request.ModelsCut is { } cut)
        {
            edits[count++] = (cut.Start, cut.End, 3);
        }

        if (request.Stream && request.Kind is Kind.Chat or Kind.Embeddings)
        {
            edits[count++] = request.StreamOptionsStart >= 0
                ? (request.StreamOptionsStart, request.StreamOptionsEnd, 1)
                : (request.RootStart + 1, request.RootStart + 1, 2);
        }

        edits = edits[..count];
        edits.Sort(static (a, b) => a.Start.CompareTo(b.Start));

        var position = 0;
        foreach (var (start, end, kind) in edits)
        {
            output.Write(body[position..start]);
            switch (kind)
            {
                case 0:
                    output.Write("\""u8);
                    output.Write(upstreamModel.EncodedUtf8Bytes);
                    output.Write("\""u8);
                    break;
                case 1:
                    output.Write("{\"include_usage\":true}"u8);
                    break;
                case 3:
                    break;
                default:
                    output.Write("\"stream_options\":{\"include_usage\":true},"u8);
                    break;
            }

            position = end;
        }

        output.Write(body[position..]);
    }
}
