namespace Tollgate.Gateway.Settlement;

/// <summary>What <see cref="TokenEstimator.BoundPrompt"/> found: an upper bound of the text tokens, and the number of images.</summary>
/// <param name="Tokens">Tokens of the text, numbers and base64 payloads.</param>
/// <param name="Images">Image parts, each billed by the model at up to <see cref="TokenEstimator.ImageTokens"/>.</param>
internal readonly record struct PromptBound(long Tokens, long Images)
{
    /// <summary>The bound in tokens on <paramref name="modelId"/>.</summary>
    public long On(string modelId) => Tokens + (Images * TokenEstimator.ImageTokens(modelId));

    /// <summary>The sum of two bounds.</summary>
    public static PromptBound operator +(PromptBound a, PromptBound b) => new(a.Tokens + b.Tokens, a.Images + b.Images);

    /// <summary>The sum of two bounds.</summary>
    public static PromptBound Add(PromptBound a, PromptBound b) => a + b;
}
