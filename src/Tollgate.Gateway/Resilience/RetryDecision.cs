namespace Tollgate.Gateway.Resilience;

/// <summary>The retry policy's answer: what to do next, and how long to wait first (only for <see cref="RetryAction.RetrySame"/>).</summary>
internal readonly record struct RetryDecision(RetryAction Action, TimeSpan Delay = default)
{
    /// <summary>Whether another attempt follows.</summary>
    public bool Retries => Action is RetryAction.TryOther or RetryAction.RetrySame or RetryAction.NextGroup or RetryAction.ContextFallback;
}
