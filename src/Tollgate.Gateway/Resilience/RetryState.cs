namespace Tollgate.Gateway.Resilience;

/// <summary>Where a request stands when an attempt fails: what the retry policy decides from.</summary>
/// <param name="RetriesInGroup">Attempts already made in the current group after its first (0 after the first attempt).</param>
/// <param name="OtherDeploymentInGroup">Another deployment of the current group is untried and available now.</param>
/// <param name="SameDeploymentWait">
/// How soon the failed deployment may be tried again (zero now; longer while its quota or <c>Retry-After</c> blocks
/// it); null when it may not (its circuit is open).
/// </param>
/// <param name="NextGroup">The plan has a group after the current one.</param>
/// <param name="ContextFallback">The plan has context fallbacks not yet in use.</param>
/// <param name="Remaining">The client's remaining time (its deadline less now).</param>
internal readonly record struct RetryState(
    int RetriesInGroup,
    bool OtherDeploymentInGroup,
    TimeSpan? SameDeploymentWait,
    bool NextGroup,
    bool ContextFallback,
    TimeSpan Remaining);
