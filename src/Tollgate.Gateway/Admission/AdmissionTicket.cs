namespace Tollgate.Gateway.Admission;

/// <summary>
/// What admission took for one request (a parallel slot, input tokens in a TPM window, a budget reservation),
/// given back exactly once by <see cref="AdmissionControl.Settle"/>. Registered for disposal with the response, so a
/// request that ends without settling (a bug path) still releases its slot and reservation.
/// </summary>
internal sealed class AdmissionTicket(AdmissionControl owner) : IDisposable
{
    private int _settled;

    public string? ParallelKey { get; init; }
    public string? TokensKey { get; init; }
    public long TokensWindowEnd { get; init; }

    /// <summary>Input tokens counted into the TPM window at admission.</summary>
    public long CountedTokens { get; init; }
    public BudgetReservation? Budget { get; init; }

    /// <summary>True for the first caller only.</summary>
    internal bool TryClose() => Interlocked.Exchange(ref _settled, 1) == 0;

    public void Dispose() => owner.Settle(this, null, null);
}
