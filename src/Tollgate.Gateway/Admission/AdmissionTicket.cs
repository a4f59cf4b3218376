using Tollgate.Storage.Limits;

namespace Tollgate.Gateway.Admission;

/// <summary>
/// What admission took for one request (a parallel slot, tokens in a TPM window, a budget reservation: <see cref="Take"/>
/// as <see cref="Outcome"/> took it), given back exactly once by <see cref="AdmissionControl.Settle"/>. Registered for
/// disposal with the response, so a request that ends without settling (a bug path) still releases its slot and reservation.
/// </summary>
internal sealed class AdmissionTicket(AdmissionControl owner, LimitTake take, LimitOutcome outcome) : IDisposable
{
    private int _settled;

    public LimitTake Take { get; } = take;

    public LimitOutcome Outcome { get; } = outcome;

    /// <summary>USD reserved on the budget, null when the request took none.</summary>
    public decimal? Reserved => Take.Budget?.Amount;

    /// <summary>The output limit per choice the request was admitted with (the clamped one when <see cref="Clamped"/>); 0 when it set none.</summary>
    public long OutputLimit { get; init; }

    /// <summary>True when admission lowered the output limit to fit the budget or TPM window: the body must be rewritten.</summary>
    public bool Clamped { get; init; }

    /// <summary>Choices the output limit was reserved for (chat's <c>n</c>, at most 10,000).</summary>
    public int Choices { get; init; } = 1;

    /// <summary>
    /// The most output tokens the request was allowed on <paramref name="model"/>: its choices times its limit (else
    /// the model's max output, as admission reserved). A provider that reports more is over-reporting.
    /// </summary>
    public long AllowedOutput(Tollgate.Core.Catalog.ModelEntry? model) =>
        Math.Max(1, Choices) * (OutputLimit > 0 ? OutputLimit : model?.MaxOutput ?? AdmissionControl.DefaultMaxOutputTokens);

    /// <summary>True for the first caller only.</summary>
    internal bool TryClose() => Interlocked.Exchange(ref _settled, 1) == 0;

    public void Dispose() => owner.Settle(this, null, null);
}
