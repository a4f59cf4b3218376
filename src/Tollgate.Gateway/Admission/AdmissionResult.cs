using Tollgate.Gateway.Errors;

namespace Tollgate.Gateway.Admission;

/// <summary>The outcome of <see cref="AdmissionControl.AdmitAsync"/>: a ticket to settle at the end, or the error to answer with.</summary>
/// <param name="ByTokens">Refused by a token bound (a TPM or tokens-per-day window, or a budget): a tighter count of the prompt might admit it.</param>
internal readonly record struct AdmissionResult(AdmissionTicket? Ticket, ApiError? Error, bool ByTokens = false)
{
    public bool Admitted => Error is null;
}
