namespace Tollgate.Gateway.Admission;

/// <summary>
/// The output clamp: when a key's budget (or TPM headroom) cannot cover a request's worst case, the largest output
/// limit per choice that it can cover, so a client that always asks for a large <c>max_tokens</c> (Claude Code sends
/// 32000) still gets an answer on a small budget. Only reached after a refusal: the unclamped path never calls it.
/// </summary>
internal static class OutputClamp
{
    /// <summary>Names the output limit a clamped request was given (per choice), as written into the upstream's body.</summary>
    public const string ClampedHeader = "x-tollgate-max-tokens-clamped";

    /// <summary>Names the limit the client asked for (per choice), or <c>none</c> when it set none.</summary>
    public const string RequestedHeader = "x-tollgate-max-tokens-requested";

    /// <summary>
    /// The largest output limit per choice, from <paramref name="minimum"/> up to <paramref name="requested"/>, whose
    /// worst case (<paramref name="worstOfLimit"/>, the cost of the request with that limit per choice) is at most
    /// <paramref name="remaining"/>; null when even the minimum does not fit, or the request asks for no more than the
    /// minimum (then it is refused as it is). Exact: the worst case is decimal and monotone in the limit, and the search
    /// over whole tokens finds the exact boundary, so the clamped reservation is still the request's upper bound.
    /// </summary>
    public static long? Fit(decimal remaining, long requested, long minimum, Func<long, decimal> worstOfLimit)
    {
        ArgumentNullException.ThrowIfNull(worstOfLimit);
        minimum = Math.Max(1, minimum);
        if (requested <= minimum || worstOfLimit(minimum) > remaining)
        {
            return null;
        }

        if (worstOfLimit(requested) <= remaining)
        {
            return requested;
        }

        // worstOfLimit(low) fits, worstOfLimit(high) does not.
        var low = minimum;
        var high = requested;
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (worstOfLimit(middle) <= remaining)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// The largest output limit per choice that fits in a token window's <paramref name="headroom"/> with
    /// <paramref name="promptTokens"/> (the prompt with its margin) and <paramref name="choices"/> choices each given
    /// that limit; null when it is under <paramref name="minimum"/> or not below <paramref name="requested"/>.
    /// </summary>
    public static long? FitTokens(long headroom, long promptTokens, long choices, long requested, long minimum)
    {
        var perChoice = (headroom - promptTokens) / Math.Max(1, choices);
        return perChoice >= Math.Max(1, minimum) && perChoice < requested ? perChoice : null;
    }
}
