using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Dialects;
using Tollgate.Emulator.Embeddings;
using Tollgate.Emulator.Faults;
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

        // Creates the instance's control, so an invalid fault rule fails here rather than on the first request.
        _ = options.Control;
        Options = options;
    }

    public EmulatorOptions Options { get; }

    private readonly ResponsesState _responses = new();

    /// <summary>
    /// Counts the request, lets the instance's fault rule add its knobs, then validates, applies the latency, hang, status and
    /// fault knobs, and returns the response whose status and headers are final. A non-streaming reply's whole generation
    /// time is spent here too, since a real upstream sends no header before the body is ready.
    /// </summary>
    public async Task<EmulatorResponse> HandleAsync(EmulatorRequest request, CancellationToken ct)
    {
        if (request.Operation is EmulatorOperation.ControlFaults or EmulatorOperation.ControlRequests)
        {
            return ControlApi.Handle(request, Options.Control);
        }

        var decision = Options.Control.Admit(request.Operation);
        if (decision.Knobs.Count > 0)
        {
            // After the request's own knobs (headers are the last of those), so the instance's win.
            request = request with { KnobHeaders = [.. request.KnobHeaders, .. decision.Knobs] };
        }

        var response = await DispatchAsync(request, decision.Quota, ct);
        return decision.Quota is { } quota && !response.DropConnection && !RateLimitHeaders.ReportsRemaining(response.Headers)
            ? response.WithHeaders(RateLimitHeaders.Remaining(EndpointNames.Dialect(request.Operation), quota, Options.TimeProvider.GetUtcNow()))
            : response;
    }

    private async Task<EmulatorResponse> DispatchAsync(EmulatorRequest request, QuotaSnapshot? quota, CancellationToken ct)
    {
        switch (request.Operation)
        {
            case EmulatorOperation.ChatCompletions:
            case EmulatorOperation.Responses:
                return await ChatAsync(request, EmulatorDialect.OpenAI, quota, ct);
            case EmulatorOperation.AnthropicMessages:
                return await ChatAsync(request, EmulatorDialect.Anthropic, quota, ct);
            case EmulatorOperation.AnthropicCountTokens:
                return await CountTokensAsync(request, EmulatorDialect.Anthropic, quota, ct);
            case EmulatorOperation.ResponsesInputTokens:
                return await CountTokensAsync(request, EmulatorDialect.OpenAI, quota, ct);
            case EmulatorOperation.GeminiGenerateContent:
            case EmulatorOperation.GeminiStreamGenerateContent:
                return await ChatAsync(request, EmulatorDialect.Gemini, quota, ct);
            case EmulatorOperation.GeminiCountTokens:
                return await CountTokensAsync(request, EmulatorDialect.Gemini, quota, ct);
            case EmulatorOperation.GeminiEmbedContent:
            case EmulatorOperation.GeminiBatchEmbedContents:
                return await GeminiEmbedAsync(request, quota, ct);
            case EmulatorOperation.Embeddings:
                return await EmbeddingsAsync(request, quota, ct);
            case EmulatorOperation.Models:
                var knobs = KnobParser.Parse(request.KnobHeaders, out var error);
                return error is not null ? Error(error)
                    : await BeforeAnswerAsync(knobs, new Answering(EmulatorDialect.OpenAI, null, null, quota), ct) ?? Json(200, Models());
            default:
                return Error(new EmulatorError(404, $"Invalid URL ({request.Method} {request.Path})", "invalid_request_error", null, null));
        }
    }

    /// <summary>
    /// One chat engine for the three APIs: the dialect's parser turns the request into a <see cref="ChatRequest"/>,
    /// the planner decides reply, usage and pacing the same way for all, and the dialect's writer shapes the answer.
    /// </summary>
    private async Task<EmulatorResponse> ChatAsync(EmulatorRequest request, EmulatorDialect dialect, QuotaSnapshot? quota, CancellationToken ct)
    {
        if (CheckApiHeaders(request, dialect) is { } refused)
        {
            return Error(refused, dialect);
        }

        ChatRequest? chat;
        var responses = request.Operation == EmulatorOperation.Responses;
        JsonObject? echo = null;
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
                _ when responses => ResponsesRequestParser.Parse(document.RootElement, _responses, out error),
                _ => ChatRequest.Parse(document.RootElement, out error),
            };
            echo = responses ? ResponsesWriter.Echo(document.RootElement) : null;
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

        var answering = new Answering(dialect, chat.Model, knobs.PromptTokens ?? chat.PromptTokenEstimate, quota);
        if (await BeforeAnswerAsync(knobs, answering, ct) is { } early)
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
            Remember(plan, echo, chat.RawUserText);
            Func<Stream, CancellationToken, Task> write = dialect switch
            {
                _ when echo is not null => (stream, token) => ResponsesWriter.StreamAsync(plan, echo, stream, time, token),
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

        Remember(plan, echo, chat.RawUserText);
        var completion = dialect switch
        {
            _ when echo is not null => ResponsesWriter.Response(plan, echo),
            EmulatorDialect.Anthropic => AnthropicWriter.Message(plan),
            EmulatorDialect.Gemini => GeminiWriter.Response(plan),
            _ => ChatWriter.Completion(plan),
        };
        return plan.Cut ? Interrupted(completion, null)
            : plan.Stall is { } stall ? Interrupted(completion, stall)
            : Json(200, completion);
    }

    /// <summary>A Responses answer is remembered for <c>previous_response_id</c>, unless the request said <c>store: false</c>.</summary>
    private void Remember(ChatPlan plan, JsonObject? echo, string? lastUserText)
    {
        if (echo is not null && echo["store"] is JsonValue store && store.GetValue<bool>() && plan.Usage is { } usage)
        {
            _responses.Remember(ResponsesWriter.ResponseId(plan), usage.TotalTokens, lastUserText);
        }
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

    /// <summary>
    /// Anthropic's <c>count_tokens</c>, Gemini's <c>countTokens</c> (its contents, or the <c>generateContentRequest</c>
    /// it wraps) and OpenAI's <c>/v1/responses/input_tokens</c> (<paramref name="dialect"/> OpenAI): the prompt estimate
    /// (or the <c>prompt_tokens</c> knob) as <c>input_tokens</c> / <c>totalTokens</c>, after the latency, status and
    /// fault knobs (a count can be rate limited or too long like a message).
    /// </summary>
    private async Task<EmulatorResponse> CountTokensAsync(EmulatorRequest request, EmulatorDialect dialect, QuotaSnapshot? quota, CancellationToken ct)
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
            var root = document.RootElement;
            if (dialect == EmulatorDialect.Gemini)
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("generateContentRequest", out var inner))
                {
                    root = inner;
                }

                chat = GeminiRequestParser.Parse(root, GeminiRequestParser.ModelFromPath(request.Path), stream: false, out error);
            }
            else
            {
                chat = dialect == EmulatorDialect.OpenAI
                    ? ResponsesRequestParser.Parse(root, _responses, out error)
                    : AnthropicRequestParser.Parse(root, out error, requireMaxTokens: false);
            }

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

        var tokens = knobs.PromptTokens ?? chat.PromptTokenEstimate;
        if (await BeforeAnswerAsync(knobs, new Answering(dialect, chat.Model, tokens, quota), ct) is { } early)
        {
            return early;
        }

        return Json(200, OpenAiJson.Write((tokens, dialect), static (w, s) =>
        {
            w.WriteStartObject();
            if (s.dialect == EmulatorDialect.OpenAI)
            {
                w.WriteString("object", "response.input_tokens");
            }

            w.WriteNumber(s.dialect == EmulatorDialect.Gemini ? "totalTokens" : "input_tokens", s.tokens);
            w.WriteEndObject();
        }));
    }

    /// <summary>Gemini's <c>embedContent</c> / <c>batchEmbedContents</c>: the same deterministic vectors as <c>/v1/embeddings</c>.</summary>
    private async Task<EmulatorResponse> GeminiEmbedAsync(EmulatorRequest request, QuotaSnapshot? quota, CancellationToken ct)
    {
        if (CheckApiHeaders(request, EmulatorDialect.Gemini) is { } refused)
        {
            return Error(refused, EmulatorDialect.Gemini);
        }

        var batch = request.Operation == EmulatorOperation.GeminiBatchEmbedContents;
        var model = GeminiRequestParser.ModelFromPath(request.Path);
        ReadOnlyMemory<byte> body;
        long tokens;
        using (var document = ParseBody(request.Body, out var parseError))
        {
            if (document is null)
            {
                return Error(parseError!, EmulatorDialect.Gemini);
            }

            var written = GeminiEmbeddings.Write(document.RootElement, model, batch, Options.EmbeddingDimensions, out tokens, out var error);
            if (written is null)
            {
                return Error(error!, EmulatorDialect.Gemini);
            }

            body = written.Value;
        }

        var knobs = KnobParser.Parse(request.KnobHeaders, out var knobError);
        if (knobError is not null)
        {
            return Error(knobError, EmulatorDialect.Gemini);
        }

        return await BeforeAnswerAsync(knobs, new Answering(EmulatorDialect.Gemini, model, tokens, quota, Embeddings: true), ct) ?? Json(200, body);
    }

    private async Task<EmulatorResponse> EmbeddingsAsync(EmulatorRequest request, QuotaSnapshot? quota, CancellationToken ct)
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

        var prompt = knobs.PromptTokens ?? embeddings.Inputs.Sum(static i => i.Tokens);
        if (await BeforeAnswerAsync(knobs, new Answering(EmulatorDialect.OpenAI, embeddings.Model, prompt, quota, Embeddings: true), ct) is { } early)
        {
            return early;
        }

        var body = EmbeddingsWriter.Write(
            embeddings, embeddings.Dimensions ?? Options.EmbeddingDimensions, knobs.PromptTokens, knobs.Fault != EmulatorFault.NoUsage);
        return knobs.Fault switch
        {
            EmulatorFault.Cut => Interrupted(body, null),
            EmulatorFault.StallStream => Interrupted(body, knobs.StallDuration),
            _ => Json(200, body),
        };
    }

    /// <summary>
    /// Spends the latency, acts out <c>hang</c>, <c>reset</c> and the error faults (<c>rate_limit</c>, <c>overloaded</c>,
    /// <c>context_length</c>, which win over <c>status</c>), answers the <c>status</c> knob, then the <c>context_window</c>
    /// check; null means "go on".
    /// </summary>
    private async Task<EmulatorResponse?> BeforeAnswerAsync(EmulatorKnobs knobs, Answering answering, CancellationToken ct)
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

        var dialect = answering.Dialect;
        var retrySeconds = knobs.RetryAfterSeconds ?? DefaultRetryAfterSeconds;
        switch (knobs.Fault)
        {
            case EmulatorFault.Reset:
                return EmulatorResponse.Dropped;
            case EmulatorFault.RateLimit:
                return FaultResponses.RateLimit(dialect, answering.Model, retrySeconds, answering.Quota, Options.TimeProvider.GetUtcNow());
            case EmulatorFault.Overloaded:
                return FaultResponses.Overloaded(dialect, retrySeconds);
            case EmulatorFault.ContextLength when answering.PromptTokens is { } prompt:
                return FaultResponses.ContextLength(
                    dialect, answering.Embeddings, prompt, knobs.ContextWindow ?? FaultResponses.DefaultContextWindow(dialect, answering.Embeddings));
        }

        if (knobs.Status is { } status and not 200)
        {
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

        if (knobs.ContextWindow is { } window && answering.PromptTokens > window)
        {
            return FaultResponses.ContextLength(dialect, answering.Embeddings, answering.PromptTokens.Value, window);
        }

        return null;
    }

    /// <summary>
    /// Half of a JSON body, then the connection drops (<c>cut</c>, <paramref name="stall"/> null) or the rest follows after
    /// <paramref name="stall"/> (<c>stall_stream</c>): the non-streaming forms of those faults.
    /// </summary>
    private EmulatorResponse Interrupted(ReadOnlyMemory<byte> body, TimeSpan? stall) => new()
    {
        StatusCode = 200,
        WriteBodyAsync = async (stream, token) =>
        {
            var half = body.Length / 2;
            await stream.WriteAsync(body[..half], token);
            await stream.FlushAsync(token);
            if (stall is not { } wait)
            {
                throw new EmulatorCutException();
            }

            await Task.Delay(wait, Options.TimeProvider, token);
            await stream.WriteAsync(body[half..], token);
        },
    };

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
