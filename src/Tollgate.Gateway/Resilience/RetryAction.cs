namespace Tollgate.Gateway.Resilience;

/// <summary>What to do after a failed attempt.</summary>
internal enum RetryAction
{
    /// <summary>The failure is final (400, 401, 403, 404, 413, ...): pass the provider's answer on to the client.</summary>
    PassOn,

    /// <summary>Retryable, but no attempt is left (or none fits the client's remaining time): answer with this failure.</summary>
    GiveUp,

    /// <summary>Try another deployment of the same group now.</summary>
    TryOther,

    /// <summary>Retry the same deployment after <see cref="RetryDecision.Delay"/> (the group has no other).</summary>
    RetrySame,

    /// <summary>The group is done: go on to the next group of the plan now.</summary>
    NextGroup,

    /// <summary>The prompt is too long here: go on to the plan's context fallbacks now.</summary>
    ContextFallback,
}
