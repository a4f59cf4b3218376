using System.Globalization;
using System.Text.Json;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Dialects;
using Tollgate.Emulator.Embeddings;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Engine;

/// <summary>
/// The one emulator: turns an <see cref="EmulatorRequest"/> into an <see cref="EmulatorResponse"/>.
/// Kestrel endpoints and the in-process <see cref="EmulatorHandler"/> are thin adapters over it.
/// </summary>
internal sealed class EmulatorEngine
{
    private const long ModelCreated = 1_700_000_000;
    private const int DefaultRetryAfterSeconds = 1;

    public EmulatorEngine(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultLatency, TimeSpan.Zero, nameof(options.DefaultLatency));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EmbeddingDimensions, 1, nameof(options.EmbeddingDimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxReplyWords, 1, nameof(options.MaxReplyWords));
        if (!double.IsFinite(options.DefaultTokensPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "DefaultTokensPerSecond must be a finite number.");
        }

        ArgumentNullException.ThrowIfNull(options.Models);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        Options = options;
    }

    public EmulatorOptions Options { get; }

    /// <summary>
    /// Validates, applies the latency, hang and status knobs, and returns the response whose status and
    /// headers are final. A non-streaming reply's whole generation time is spent here too, since a real
    /// upstream sends no header before the body is ready.
    /// </summary>
    public async Task<EmulatorResponse> HandleAsync(EmulatorRequest request, CancellationToken ct)
    {
        switch (request.Operation)
        {
            case EmulatorOperation.ChatCompletions:
                return await ChatAsync(request, EmulatorDialect.OpenAI, ct);
            case EmulatorOperation.AnthropicMessages:
                return await ChatAsync(request, EmulatorDialect.Anthropic, ct);
            case EmulatorOperation.AnthropicCountTokens:
                return CountTokens(request);
            case EmulatorOperation.GeminiGenerateContent:
            case EmulatorOperation.GeminiStreamGenerateContent:
                return await ChatAsync(request, EmulatorDialect.Gemini, ct);
            case EmulatorOperation.Embeddings:
                return await EmbeddingsAsync(request, ct);
            case EmulatorOperation.Models:
                var knobs = KnobParser.Parse(request.KnobHeaders, out var error);
                return error is not null ? Error(error) : await BeforeAnswerAsync(knobs, ct) ?? Json(200, Models());
            default:
                return Error(new EmulatorError(404, $"Invalid URL ({request.Method} {request.Path})", "invalid_request_error", null, null));
        }
    }

    /// <summary>
    /// One chat engine for the three APIs: the dialect's parser turns the request into a <see cref="ChatRequest"/>,
    /// the planner decides reply, usage and pacing the same way for all, and the dialect's writer shapes the answer.
    /// </summary>
    private async Task<EmulatorResponse> ChatAsync(EmulatorRequest request, EmulatorDialect dialect, CancellationToken ct)
    {
        if (CheckApiHeaders(request, dialect) is { } refused)
        {
            return Error(refused, dialect);
        }

        ChatRequest? chat;
        using (var document = ParseBody(request.Body, out var parseError))
        {
            if (document is null)
            {
                return Error(parseError!, dialect);
            }

            EmulatorError? error;
            chat = dialect switch
            {
                EmulatorDialect.Anthropic => AnthropicRequestParser.Parse(document.RootElement, out error),
                EmulatorDialect.Gemini => GeminiRequestParser.Parse(
                    document.RootElement,
                    GeminiRequestParser.ModelFromPath(request.Path),
                    request.Operation == EmulatorOperation.GeminiStreamGenerateContent,
                    out error),
                _ => ChatRequest.Parse(document.RootElement, out error),
            };
            if (chat is null)
            {
                return Error(error!, dialect);
            }
        }

        var knobs = KnobParser.Parse(chat.KnobPairs.Concat(request.KnobHeaders), out var knobError);
        if (knobError is not null)
        {
            return Error(knobError, dialect);
        }

        var plan = ChatPlanner.Plan(chat, knobs, Options, out var planError);
        if (plan is null)
        {
            return Error(planError!, dialect);
        }

        if (await BeforeAnswerAsync(knobs, ct, dialect) is { } early)
        {
            return early;
        }

        if (knobs.Replay is { } replay)
        {
            return Replay.Serve(replay, plan.Stream, dialect, Options);
        }

        if (plan.Stream)
        {
            var time = Options.TimeProvider;
            Func<Stream, CancellationToken, Task> write = dialect switch
            {
                EmulatorDialect.Anthropic => (stream, token) => AnthropicWriter.StreamAsync(plan, stream, time, token),
                EmulatorDialect.Gemini => (stream, token) => GeminiWriter.StreamAsync(plan, stream, time, token),
                _ => (stream, token) => ChatWriter.StreamAsync(plan, stream, time, token),
            };
            return new EmulatorResponse
            {
                StatusCode = 200,
                ContentType = "text/event-stream; charset=utf-8",
                Headers = [new("Cache-Control", "no-cache")],
                WriteBodyAsync = write,
            };
        }

        var generation = plan.Ttft + plan.ChunkInterval * plan.Pieces.Count;
        if (generation > TimeSpan.Zero)
        {
            await Task.Delay(generation, Options.TimeProvider, ct);
        }

        var completion = dialect switch
        {
            EmulatorDialect.Anthropic => AnthropicWriter.Message(plan),
            EmulatorDialect.Gemini => GeminiWriter.Response(plan),
            _ => ChatWriter.Completion(plan),
        };
        if (plan.Cut)
        {
            // Half a JSON body, then the connection drops: the non-streaming form of a cut.
            return new EmulatorResponse
            {
                StatusCode = 200,
                WriteBodyAsync = async (stream, token) =>
                {
                    await stream.WriteAsync(completion[..(completion.Length / 2)], token);
                    await stream.FlushAsync(token);
                    throw new EmulatorCutException();
                },
            };
        }

        return Json(200, completion);
    }

    /// <summary>
    /// Anthropic and Gemini refuse a request without a credential (any value: the emulator has no accounts), and
    /// Anthropic one without <c>anthropic-version</c>, as the real APIs do. OpenAI requests are not checked.
    /// </summary>
    private static EmulatorError? CheckApiHeaders(EmulatorRequest request, EmulatorDialect dialect) => dialect switch
    {
        EmulatorDialect.Anthropic when !request.ApiHeaders.ContainsKey("x-api-key") && !request.ApiHeaders.ContainsKey("authorization") =>
            new EmulatorError(401, "x-api-key header is required", "authentication_error", null, null),
        EmulatorDialect.Anthropic when !request.ApiHeaders.ContainsKey("anthropic-version") =>
            EmulatorError.InvalidRequest("anthropic-version: header is required"),
        EmulatorDialect.Gemini when !request.ApiHeaders.ContainsKey("x-goog-api-key") =>
            new EmulatorError(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", "permission_denied", null, null),
        _ => null,
    };

    /// <summary>Anthropic's <c>count_tokens</c>: the prompt estimate (or the <c>prompt_tokens</c> knob) as <c>input_tokens</c>.</summary>
    private static EmulatorResponse CountTokens(EmulatorRequest request)
    {
        if (CheckApiHeaders(request, EmulatorDialect.Anthropic) is { } refused)
        {
            return Error(refused, EmulatorDialect.Anthropic);
        }

        using var document = ParseBody(request.Body, out var parseError);
        if (document is null)
        {
            return Error(parseError!, EmulatorDialect.Anthropic);
        }

        var chat = AnthropicRequestParser.Parse(document.RootElement, out var error, requireMaxTokens: false);
        if (chat is null)
        {
            return Error(error!, EmulatorDialect.Anthropic);
        }

        var knobs = KnobParser.Parse(chat.KnobPairs.Concat(request.KnobHeaders), out var knobError);
        if (knobError is not null)
        {
            return Error(knobError, EmulatorDialect.Anthropic);
        }

        var tokens = knobs.PromptTokens ?? chat.PromptTokenEstimate;
        return Json(200, OpenAiJson.Write(tokens, static (w, t) =>
        {
            w.WriteStartObject();
            w.WriteNumber("input_tokens", t);
            w.WriteEndObject();
        }));
    }

    private async Task<EmulatorResponse> EmbeddingsAsync(EmulatorRequest request, CancellationToken ct)
    {
        EmbeddingsRequest? embeddings;
        using (var document = ParseBody(request.Body, out var parseError))
        {
            if (document is null)
            {
                return Error(parseError!);
            }

            embeddings = EmbeddingsRequest.Parse(document.RootElement, out var error);
            if (embeddings is null)
            {
                return Error(error!);
            }
        }

        var knobs = KnobParser.Parse(embeddings.KnobPairs.Concat(request.KnobHeaders), out var knobError);
        if (knobError is not null)
        {
            return Error(knobError);
        }

        if (await BeforeAnswerAsync(knobs, ct) is { } early)
        {
            return early;
        }

        var body = EmbeddingsWriter.Write(
            embeddings, embeddings.Dimensions ?? Options.EmbeddingDimensions, knobs.PromptTokens, knobs.Fault != EmulatorFault.NoUsage);
        return Json(200, body);
    }

    /// <summary>Spends the latency, acts out <c>hang</c>, and answers the <c>status</c> knob; null means "go on".</summary>
    private async Task<EmulatorResponse?> BeforeAnswerAsync(EmulatorKnobs knobs, CancellationToken ct, EmulatorDialect dialect = EmulatorDialect.OpenAI)
    {
        if (knobs.Fault == EmulatorFault.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Options.TimeProvider, ct);
        }

        var latency = knobs.LatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Options.DefaultLatency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, Options.TimeProvider, ct);
        }

        if (knobs.Status is { } status and not 200)
        {
            var retrySeconds = knobs.RetryAfterSeconds ?? DefaultRetryAfterSeconds;
            var response = Json(status, DialectErrors.Write(EmulatorError.ForStatus(status), dialect, retrySeconds));
            if (status is 429 or 503 or 529)
            {
                var retryAfter = retrySeconds.ToString(CultureInfo.InvariantCulture);
                return new EmulatorResponse
                {
                    StatusCode = response.StatusCode,
                    WriteBodyAsync = response.WriteBodyAsync,
                    Headers = [new("Retry-After", retryAfter)],
                };
            }

            return response;
        }

        return null;
    }

    private ReadOnlyMemory<byte> Models() => OpenAiJson.Write(Options.Models, static (w, models) =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var id in models)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "model");
            w.WriteNumber("created", ModelCreated);
            w.WriteString("owned_by", "tollgate-emulator");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static JsonDocument? ParseBody(ReadOnlyMemory<byte> body, out EmulatorError? error)
    {
        error = null;
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            error = EmulatorError.InvalidRequest(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. "
                + "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
            return null;
        }
    }

    private static EmulatorResponse Error(EmulatorError error, EmulatorDialect dialect = EmulatorDialect.OpenAI) =>
        Json(error.Status, DialectErrors.Write(error, dialect));

    private static EmulatorResponse Json(int status, ReadOnlyMemory<byte> body) => new()
    {
        StatusCode = status,
        WriteBodyAsync = (stream, ct) => stream.WriteAsync(body, ct).AsTask(),
    };
}
