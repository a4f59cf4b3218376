using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// The gateway's instruments, for the request pipeline to call where it settles a request (<see cref="RecordRequest"/>),
/// refuses one, retries or falls back. Recording costs a few tag writes into a stack-held <see cref="TagList"/> and
/// nothing at all while no exporter listens. Label values are bounded: at most 1000 key ids and 1000 models each,
/// then <c>other</c>. Costs go to metrics as doubles (instruments have no decimal); the ledger stays the exact record.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    private const int MaxLabelValues = 1000;

    // Bucket boundaries recommended by the GenAI semantic conventions.
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] TtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    // HTTP statuses boxed once: a tag value is an object, and boxing the status would allocate on every request.
    private static readonly object[] BoxedStatuses = Enumerable.Range(0, 600).Select(static s => (object)s).ToArray();

    private readonly Meter _meter;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _ttft;
    private readonly Counter<long> _tokensByKind;
    private readonly Counter<long> _requests;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _budgetRefusals;
    private readonly Counter<long> _rateLimitRefusals;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _fallbacks;
    private readonly UpDownCounter<long> _inFlight;
    private readonly BoundedLabel _keys = new(MaxLabelValues);
    private readonly BoundedLabel _models = new(MaxLabelValues);
    private Func<long>? _ledgerQueueDepth;
    private Func<IEnumerable<Measurement<int>>>? _circuits;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(GatewayTelemetry.MeterName);
        _tokens = _meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens per request, by gen_ai.token.type (input, output).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _duration = _meter.CreateHistogram("gen_ai.client.operation.duration", "s", "Duration of a request through the gateway.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _ttft = _meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time to the first token of a streamed reply.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TtftBuckets });
        _tokensByKind = _meter.CreateCounter<long>("tollgate.tokens", "{token}",
            "Tokens charged, by tollgate.token.kind: input (uncached), cache_read, cache_write, output (reasoning included), reasoning.");
        _requests = _meter.CreateCounter<long>("tollgate.requests", "{request}", "Requests settled, by endpoint, status, provider and model.");
        _cost = _meter.CreateCounter<double>("tollgate.cost", "USD", "Cost charged, by provider, model and key id.");
        _budgetRefusals = _meter.CreateCounter<long>("tollgate.budget.refusals", "{request}", "Requests refused because a budget did not cover their worst case.");
        _rateLimitRefusals = _meter.CreateCounter<long>("tollgate.rate_limit.refusals", "{request}", "Requests refused by rpm, tpm or max_parallel.");
        _retries = _meter.CreateCounter<long>("tollgate.upstream.retries", "{attempt}", "Upstream attempts retried.");
        _fallbacks = _meter.CreateCounter<long>("tollgate.upstream.fallbacks", "{attempt}", "Requests moved to a fallback deployment.");
        _inFlight = _meter.CreateUpDownCounter<long>("tollgate.requests.in_flight", "{request}", "Requests being served.");
        _meter.CreateObservableGauge("tollgate.ledger.queue_depth", () => _ledgerQueueDepth?.Invoke() ?? 0, "{entry}", "Ledger entries waiting to be stored.");
        _meter.CreateObservableGauge("tollgate.circuit.state", () => _circuits?.Invoke() ?? [], "{state}", "Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.");
    }

    /// <summary>One settled request: its count, duration, tokens, time to first token and cost.</summary>
    public void RecordRequest(in RequestTelemetry r)
    {
        var model = _models.Of(r.RequestModel);
        var provider = r.Provider ?? "none";
        var genAi = new TagList
        {
            { GatewayTelemetry.Attributes.OperationName, r.Operation },
            { GatewayTelemetry.Attributes.ProviderName, provider },
            { GatewayTelemetry.Attributes.RequestModel, model },
        };
        if (r.ResponseModel is { } response)
        {
            genAi.Add(GatewayTelemetry.Attributes.ResponseModel, _models.Of(response));
        }

        var timing = genAi;
        if (r.ErrorType is { } error)
        {
            timing.Add(GatewayTelemetry.Attributes.ErrorType, error);
        }

        _duration.Record(r.Duration.TotalSeconds, timing);
        if (r.TimeToFirstToken is { } ttft)
        {
            _ttft.Record(ttft.TotalSeconds, genAi);
        }

        if (r.InputTokens > 0 || r.OutputTokens > 0)
        {
            var input = genAi;
            input.Add(GatewayTelemetry.Attributes.TokenType, "input");
            _tokens.Record(r.InputTokens, input);
            var output = genAi;
            output.Add(GatewayTelemetry.Attributes.TokenType, "output");
            _tokens.Record(r.OutputTokens, output);
            AddTokens(r.InputTokens - r.CacheReadTokens - r.CacheWriteTokens, "input", provider, model);
            AddTokens(r.CacheReadTokens, "cache_read", provider, model);
            AddTokens(r.CacheWriteTokens, "cache_write", provider, model);
            AddTokens(r.OutputTokens, "output", provider, model);
            AddTokens(r.ReasoningTokens, "reasoning", provider, model);
        }

        _requests.Add(1, new TagList
        {
            { GatewayTelemetry.Attributes.Endpoint, r.Endpoint },
            { GatewayTelemetry.Attributes.StatusCode, (uint)r.Status < (uint)BoxedStatuses.Length ? BoxedStatuses[r.Status] : r.Status },
            { GatewayTelemetry.Attributes.ProviderName, provider },
            { GatewayTelemetry.Attributes.RequestModel, model },
        });
        if (r.Cost is { } cost && cost != 0m)
        {
            _cost.Add((double)cost, new TagList
            {
                { GatewayTelemetry.Attributes.ProviderName, provider },
                { GatewayTelemetry.Attributes.RequestModel, model },
                { GatewayTelemetry.Attributes.KeyId, _keys.Of(r.KeyId, "master") },
            });
        }
    }

    private void AddTokens(long count, string kind, string provider, string model)
    {
        if (count > 0)
        {
            _tokensByKind.Add(count, new TagList
            {
                { GatewayTelemetry.Attributes.ProviderName, provider },
                { GatewayTelemetry.Attributes.RequestModel, model },
                { GatewayTelemetry.Attributes.TokenKind, kind },
            });
        }
    }

    /// <summary>A request refused because its key's (or public client's) budget did not cover its worst case.</summary>
    public void RecordBudgetRefusal(string? keyId) =>
        _budgetRefusals.Add(1, new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.KeyId, _keys.Of(keyId, "master")));

    /// <summary>A request refused by a rate limit: <paramref name="limit"/> is <c>rpm</c>, <c>tpm</c> or <c>max_parallel</c>.</summary>
    public void RecordRateLimitRefusal(string? keyId, string limit) =>
        _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.KeyId, _keys.Of(keyId, "master")), new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.Limit, limit));

    /// <summary>An upstream attempt that failed and is tried again on the same deployment.</summary>
    public void RecordRetry(string provider, string model) =>
        _retries.Add(1, new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.ProviderName, provider), new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.RequestModel, _models.Of(model)));

    /// <summary>A request moved from one deployment to the next.</summary>
    public void RecordFallback(string fromProvider, string toProvider, string model) =>
        _fallbacks.Add(1, new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.FallbackFrom, fromProvider), new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.ProviderName, toProvider), new KeyValuePair<string, object?>(GatewayTelemetry.Attributes.RequestModel, _models.Of(model)));

    /// <summary>A request started (pair with <see cref="RequestEnded"/> in a finally).</summary>
    public void RequestStarted() => _inFlight.Add(1);

    public void RequestEnded() => _inFlight.Add(-1);

    /// <summary>Where <c>tollgate.ledger.queue_depth</c> is read from when scraped.</summary>
    public void ObserveLedgerQueue(Func<long> depth) => _ledgerQueueDepth = depth;

    /// <summary>Where <c>tollgate.circuit.state</c> is read from: one measurement per deployment, tagged with its provider and model.</summary>
    public void ObserveCircuits(Func<IEnumerable<Measurement<int>>> states) => _circuits = states;

    public void Dispose() => _meter.Dispose();
}
