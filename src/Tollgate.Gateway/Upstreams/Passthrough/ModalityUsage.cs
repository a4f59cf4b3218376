using Tollgate.Core.Usage;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// What one images, audio or moderation call used, read from its response: tokens when the provider reported them,
/// units (images, characters, seconds) when the model is priced by them. Both null: the ledger estimates the tokens
/// from the request's input.
/// </summary>
internal readonly record struct ModalityUsage(TokenUsage? Tokens, UnitUsage? Units, bool Estimated = false)
{
    /// <summary>Units only: the tokens are zero, not estimated.</summary>
    public static ModalityUsage Of(UnitUsage units, bool estimated = false) => new(new TokenUsage(), units, estimated);
}
