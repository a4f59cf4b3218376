using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>What an images, audio or moderation request's exchanges need: where it goes, how its answer is metered, what the answer is.</summary>
/// <param name="Path">The endpoint under the provider's base URL, e.g. <c>/images/generations</c>.</param>
/// <param name="Meter">Reads the answer's usage for the ledger.</param>
/// <param name="ContentType">The media type of a successful answer.</param>
internal sealed record ModalityRequest(string Path, ModalityMeter Meter, string ContentType = "application/json");
