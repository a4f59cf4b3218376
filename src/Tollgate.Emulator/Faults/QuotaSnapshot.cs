namespace Tollgate.Emulator.Faults;

/// <summary>An instance quota as one request left it: what the rate-limit headers of its answer report.</summary>
/// <param name="Limit">Requests per window.</param>
/// <param name="Remaining">Requests left in the window after this one.</param>
/// <param name="ResetSeconds">Whole seconds until the window resets (at least 1).</param>
internal readonly record struct QuotaSnapshot(int Limit, int Remaining, int ResetSeconds);
