using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Resilience;

/// <summary>
/// Decides, as a pure function of the failure and where the request stands, what follows a failed attempt:
/// <list type="number">
/// <item>a final failure is passed on; a context-length error goes to the context fallbacks (or is passed on);</item>
/// <item>a retryable one, while the group has retries left (<c>routing.retries</c>), goes to another deployment of
/// the group at once; with none, to the same deployment after a backoff: exponential from <c>backoff_ms</c> with full
/// jitter, capped at <c>max_backoff_ms</c>, and never shorter than the <c>Retry-After</c> the upstream asked for;</item>
/// <item>a wait that does not fit the client's remaining time, or one longer than <c>max_backoff_ms</c> while another
/// group is left, is not waited: the request moves on to the next group at once, or gives up when none is left.</item>
/// </list>
/// </summary>
internal sealed class RetryPolicy(RoutingOptions options)
{
    public RoutingOptions Options => options;

    public RetryDecision Decide(in AttemptFailure failure, in RetryState state, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (failure.Class)
        {
            case FailureClass.Final:
                return new RetryDecision(RetryAction.PassOn);
            case FailureClass.ContextLength:
                return new RetryDecision(state.ContextFallback ? RetryAction.ContextFallback : RetryAction.PassOn);
        }

        if (state.RetriesInGroup < options.Retries)
        {
            if (state.OtherDeploymentInGroup)
            {
                return new RetryDecision(RetryAction.TryOther);
            }

            if (state.SameDeploymentWait is { } blocked)
            {
                var wait = Max(Max(Backoff(state.RetriesInGroup, random), failure.RetryAfter ?? TimeSpan.Zero), blocked);
                if (wait < state.Remaining && (wait <= options.MaxBackoff || !state.NextGroup))
                {
                    return new RetryDecision(RetryAction.RetrySame, wait);
                }
            }
        }

        return new RetryDecision(state.NextGroup ? RetryAction.NextGroup : RetryAction.GiveUp);
    }

    /// <summary>The backoff before retry <paramref name="retry"/> (0 for the first): uniform in [0, min(max, base·2^retry)].</summary>
    public TimeSpan Backoff(int retry, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ceiling = options.Backoff.Ticks * Math.Pow(2, Math.Clamp(retry, 0, 30));
        var capped = Math.Min(ceiling, options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(random.NextDouble() * capped));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
