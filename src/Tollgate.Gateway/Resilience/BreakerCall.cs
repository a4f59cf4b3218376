namespace Tollgate.Gateway.Resilience;

/// <summary>
/// The result of a send run through a deployment's circuit breaker: the send's own result, or
/// <see cref="Rejected"/> when the circuit was open and the send did not run (try another deployment).
/// </summary>
internal readonly struct BreakerCall<TResult>
{
    private BreakerCall(bool rejected, TResult? result)
    {
        Rejected = rejected;
        Result = result;
    }

    /// <summary>The circuit was open (or a half-open probe was already out): nothing was sent.</summary>
    public bool Rejected { get; }

    /// <summary>What the send returned; default when <see cref="Rejected"/>.</summary>
    public TResult? Result { get; }

    public static BreakerCall<TResult> NotRun => new(true, default);

    public static BreakerCall<TResult> Ran(TResult result) => new(false, result);
}
