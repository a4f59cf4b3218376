using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Polly;
using Polly.CircuitBreaker;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Telemetry;
using Tollgate.Storage;
using Tollgate.Storage.Circuits;

namespace Tollgate.Gateway.Resilience;

/// <summary>
/// A Polly circuit breaker per deployment (keyed by <see cref="Route.DeploymentId"/>). <c>routing.breaker</c> maps to
/// Polly's options as: <c>failures</c> = <see cref="CircuitBreakerStrategyOptions{TResult}.MinimumThroughput"/>,
/// <c>window_s</c> = <see cref="CircuitBreakerStrategyOptions{TResult}.SamplingDuration"/>, <c>open_s</c> =
/// <see cref="CircuitBreakerStrategyOptions{TResult}.BreakDuration"/> and <c>failure_ratio</c> =
/// <see cref="CircuitBreakerStrategyOptions{TResult}.FailureRatio"/>. After <c>open_s</c> one probe goes through
/// (half-open): its success closes the circuit, its failure opens it again.
/// With a shared <see cref="ICircuitStore"/> (Redis), a circuit that opens here is announced as "open until T" and one
/// opened by another instance is passed over here until T as well; after T each instance's own breaker lets its next
/// call through. Failures are counted per instance: only the opening is shared.
/// </summary>
internal sealed class CircuitBreakers
{
    private static readonly ResiliencePropertyKey<bool> FailedKey = new("tollgate.failed");

    private readonly ConcurrentDictionary<string, Breaker> _byId = new(StringComparer.Ordinal);

    // The end of each break announced through the shared store (UTC ticks), this instance's own included.
    private readonly ConcurrentDictionary<string, long> _sharedUntil = new(StringComparer.Ordinal);
    private readonly BreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly ICircuitStore? _shared;

    public CircuitBreakers(BreakerOptions options, TimeProvider time, ICircuitStore? shared = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _shared = shared;
        if (shared is not null && options.Enabled)
        {
            shared.Subscribe(Opened);
        }
    }

    /// <summary>
    /// Whether strategies should pass <paramref name="deployment"/> over: its circuit is open and its break has not
    /// ended, or its one half-open probe is out. A deployment whose break has ended is not open: the next request probes.
    /// </summary>
    public bool IsOpen(Route deployment) => OpenUntil(deployment) is not null;

    /// <summary>When an open circuit lets its next probe through; null when it is not open.</summary>
    public DateTimeOffset? OpenUntil(Route deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (!_options.Enabled)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        DateTimeOffset? until = Find(deployment) is { } b && b.IsBlocked(now) ? b.BlockedUntil : null;
        if (_shared is not null && _sharedUntil.TryGetValue(deployment.DeploymentId, out var ticks) && ticks > now.UtcTicks
            && (until is null || ticks > until.Value.UtcTicks))
        {
            until = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        return until;
    }

    /// <summary>Takes in that <paramref name="deployment"/>'s circuit is open until <paramref name="until"/> on some instance.</summary>
    internal void Opened(string deployment, DateTimeOffset until) =>
        _sharedUntil.AddOrUpdate(deployment, static (_, ticks) => ticks, static (_, old, ticks) => Math.Max(old, ticks), until.UtcTicks);

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

        if (_shared is not null && _sharedUntil.TryGetValue(deployment.DeploymentId, out var ticks) && ticks > _time.GetUtcNow().UtcTicks)
        {
            // Opened on another instance: this one sends nothing there either until the break ends.
            return BreakerCall<TResult>.NotRun;
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
        _byId.GetOrAdd(deployment.DeploymentId, static (_, args) => new Breaker(args.self._options, args.self._time, args.deployment, args.self.Announce), (self: this, deployment));

    // The break is announced off the request path; while the store is away the other instances count for themselves.
    private void Announce(string deployment, DateTimeOffset until)
    {
        if (_shared is { } shared)
        {
            Opened(deployment, until);
            _ = AnnounceAsync(shared, deployment, until);
        }
    }

    private static async Task AnnounceAsync(ICircuitStore shared, string deployment, DateTimeOffset until)
    {
        try
        {
            await shared.OpenAsync(deployment, until).ConfigureAwait(false);
        }
        catch (SharedStateUnavailableException)
        {
        }
    }

    /// <summary>One deployment's pipeline, and when its open circuit lets the next call through.</summary>
    private sealed class Breaker
    {
        private readonly TimeProvider _time;
        private long _blockedUntilTicks;

        public Breaker(BreakerOptions options, TimeProvider time, Route deployment, Action<string, DateTimeOffset> opened)
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
                    OnOpened = args =>
                    {
                        var until = _time.GetUtcNow() + args.BreakDuration;
                        Block(until);
                        opened(deployment.DeploymentId, until);
                        return ValueTask.CompletedTask;
                    },
                    // While the probe is out, OpenUntil tells callers to come back after another break at most.
                    OnHalfOpened = _ =>
                    {
                        Block(_time.GetUtcNow() + options.Open);
                        return ValueTask.CompletedTask;
                    },
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

        private void Block(DateTimeOffset until) => Volatile.Write(ref _blockedUntilTicks, until.UtcTicks);
    }
}
