using Tollgate.Gateway.Errors;

namespace Tollgate.Gateway.Admission;

/// <summary>The outcome of <see cref="AdmissionControl.AdmitAsync"/>: a ticket to settle at the end, or the error to answer with.</summary>
internal readonly record struct AdmissionResult(AdmissionTicket? Ticket, ApiError? Error)
{
    public bool Admitted => Error is null;
}
