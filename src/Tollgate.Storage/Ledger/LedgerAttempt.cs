namespace Tollgate.Storage.Ledger;

/// <summary>One attempt of a request on one deployment, as the ledger keeps it.</summary>
/// <param name="Provider">The deployment's provider.</param>
/// <param name="Model">The model as the provider knows it.</param>
/// <param name="Status">The upstream's status, or the gateway's for a failure without one (502, 504).</param>
/// <param name="Failure">The failure kind (<c>connect</c>, <c>timeout</c>, <c>status</c>, <c>bad_response</c>), or null when it answered.</param>
/// <param name="LatencyMs">From the send to the response (for streams, to the first event).</param>
public sealed record LedgerAttempt(string Provider, string Model, int Status, string? Failure, double LatencyMs);
