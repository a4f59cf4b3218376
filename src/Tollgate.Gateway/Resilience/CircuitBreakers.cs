using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Polly;
using Polly.CircuitBreaker;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Telemetry;

namespace Tollgate.Gateway.Resilience;

/// <summary>
/// A Polly circuit breaker per deployment (keyed by <see cref="Route.DeploymentId"/>). <c>routing.breaker</c> maps to
/// Polly's options as: <c>failures</c> = <see cref="CircuitBreakerStrategyOptions{TResult}.MinimumThroughput"/>,
/// <c>window_s</c> = <see cref="CircuitBreakerStrategyOptions{TResult}.SamplingDuration"/>, <c>open_s</c> =
/// <see cref="CircuitBreakerStrategyOptions{TResult}.BreakDuration"/> and <c>failure_ratio</c> =
/// <see cref="CircuitBreakerStrategyOptions{TResult}.FailureRatio"/>. After <c>open_s</c> one probe goes through
/// (half-open): its success closes the circuit, its failure opens it again.
/// </summary>
internal sealed class CircuitBreakers
{
    private static readonly ResiliencePropertyKey<bool> FailedKey = new("tollgate.failed");

    private readonly ConcurrentDictionary<string, Breaker> _byId = new(StringComparer.Ordinal);
    private readonly BreakerOptions _options;
    private readonly TimeProvider _time;

    public CircuitBreakers(BreakerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <summary>
    /// Whether strategies should pass <paramref name="deployment"/> over: its circuit is open and its break has not
    /// ended, or its one half-open probe is out. A deployment whose break has ended is not open: the next request probes.
    /// </summary>
    public bool IsOpen(Route deployment) => _options.Enabled && Find(deployment) is { } b && b.IsBlocked(_time.GetUtcNow());

    /// <summary>When an open circuit lets its next probe through; null when it is not open.</summary>
    public DateTimeOffset? OpenUntil(Route deployment) =>
        _options.Enabled && Find(deployment) is { } b && b.IsBlocked(_time.GetUtcNow()) ? b.BlockedUntil : null;

    /// <summary>Polly's view of the circuit (closed, open, half-open).</summary>
    public CircuitState State(Route deployment) => Find(deployment)?.State.CircuitState ?? CircuitState.Closed;

    /// <summary>
    /// Runs <paramref name="send"/> through the deployment's breaker. The send's result is a failure for the breaker
    /// when <paramref name="isFailure"/> says so (report upstream failures that say the deployment is unwell: connect
    /// errors, timeouts, 429 and 5xx; not the client's own 4xx), or when it throws, unless the throw is
    /// <paramref name="cancellationToken"/> being cancelled (the client went away). Exceptions from the send propagate.
    /// Returns <see cref="BreakerCall{TResult}.NotRun"/> without calling the send when the circuit is open.
    /// </summary>
    public async ValueTask<BreakerCall<TResult>> ExecuteAsync<TResult>(
        Route deployment,
        Func<CancellationToken, ValueTask<TResult>> send,
        Func<TResult, bool> isFailure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(isFailure);
        if (!_options.Enabled)
        {
            return BreakerCall<TResult>.Ran(await send(cancellationToken).ConfigureAwait(false));
        }

        var breaker = For(deployment);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await breaker.Pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var result = await state.send(ctx.CancellationToken).ConfigureAwait(false);
                        if (state.isFailure(result))
                        {
                            ctx.Properties.Set(FailedKey, true);
                        }

                        return Outcome.FromResult(result);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<TResult>(ex);
                    }
                },
                context,
                (send, isFailure)).ConfigureAwait(false);

            if (outcome.Exception is BrokenCircuitException)
            {
                return BreakerCall<TResult>.NotRun;
            }

            outcome.ThrowIfException();
            return BreakerCall<TResult>.Ran(outcome.Result!);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Each breaker's state for <c>tollgate.circuit.state</c> (0 closed, 1 half-open, 2 open or isolated), tagged with
    /// its deployment's provider and model. Read when metrics are scraped; a deployment not yet called has no breaker.
    /// </summary>
    public IEnumerable<Measurement<int>> States()
    {
        foreach (var breaker in _byId.Values)
        {
            var state = breaker.State.CircuitState switch
            {
                CircuitState.Closed => 0,
                CircuitState.HalfOpen => 1,
                _ => 2,
            };
            yield return new Measurement<int>(state, breaker.Tags);
        }
    }

    private Breaker? Find(Route deployment) => _byId.GetValueOrDefault(deployment.DeploymentId);

    private Breaker For(Route deployment) =>
        _byId.GetOrAdd(deployment.DeploymentId, static (_, args) => new Breaker(args.self._options, args.self._time, args.deployment), (self: this, deployment));

    /// <summary>One deployment's pipeline, and when its open circuit lets the next call through.</summary>
    private sealed class Breaker
    {
        private readonly TimeProvider _time;
        private long _blockedUntilTicks;

        public Breaker(BreakerOptions options, TimeProvider time, Route deployment)
        {
            _time = time;
            Tags =
            [
                new(GatewayTelemetry.Attributes.ProviderName, deployment.Upstream.Id),
                new(GatewayTelemetry.Attributes.RequestModel, deployment.DeploymentId),
            ];
            Pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = options.FailureRatio,
                    MinimumThroughput = options.Failures,
                    SamplingDuration = options.Window,
                    BreakDuration = options.Open,
                    StateProvider = State,
                    ShouldHandle = static args => ValueTask.FromResult(
                        args.Context.Properties.GetValue(FailedKey, false)
                        || (args.Outcome.Exception is { } ex && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested))),
                    OnOpened = args => Block(args.BreakDuration),
                    // While the probe is out, OpenUntil tells callers to come back after another break at most.
                    OnHalfOpened = _ => Block(options.Open),
                    OnClosed = _ =>
                    {
                        Volatile.Write(ref _blockedUntilTicks, 0);
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
        }

        public CircuitBreakerStateProvider State { get; } = new();

        /// <summary>The deployment's metric tags, made once.</summary>
        public KeyValuePair<string, object?>[] Tags { get; }

        public ResiliencePipeline Pipeline { get; }

        public DateTimeOffset BlockedUntil => new(Volatile.Read(ref _blockedUntilTicks), TimeSpan.Zero);

        // Polly refuses every call while a half-open probe is out, however long it takes, and moves from open to
        // half-open only when a call arrives after the break: so an open circuit whose break has ended is not blocked.
        public bool IsBlocked(DateTimeOffset now) => State.CircuitState switch
        {
            CircuitState.HalfOpen or CircuitState.Isolated => true,
            CircuitState.Open => now.UtcTicks < Volatile.Read(ref _blockedUntilTicks),
            _ => false,
        };

        private ValueTask Block(TimeSpan duration)
        {
            Volatile.Write(ref _blockedUntilTicks, (_time.GetUtcNow() + duration).UtcTicks);
            return ValueTask.CompletedTask;
        }
    }
}
