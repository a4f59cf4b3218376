using System.Text.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Settlement;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's <c>POST /v1/images/generations</c>: n images reserved at the price of the size and quality asked for (the
/// model's dearest when not given), settled from the answer: gpt-image's token usage, else one image per item of
/// <c>data</c> at its size and quality.
/// </summary>
internal sealed class OpenAIImagesInbound : OpenAIModalityInbound
{
    /// <summary>The most images one request may ask for (OpenAI's own limit).</summary>
    public const int MaxImages = 10;

    public static OpenAIImagesInbound Generations { get; } = new();

    public override string Endpoint => "images";

    protected override InboundRequest ReadRequest(ReadOnlyMemory<byte> body, OpenAIRequest fields, JsonElement root, out ApiError? error)
    {
        error = null;
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String)
        {
            error = ApiError.BadRequest("Missing required parameter: 'prompt' (a string).", "prompt");
        }

        long count = 1;
        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && (!n.TryGetInt64(out count) || count is < 1 or > MaxImages))
        {
            error ??= ApiError.BadRequest($"'n' must be an integer from 1 to {MaxImages}.", "n");
        }

        var quality = OptionalString(root, "quality", ref error);
        var size = OptionalString(root, "size", ref error);
        return new InboundRequest(body, fields)
        {
            Prompt = body,

            // Called by admission only for a key with a budget: the prompt is tokenized then, not on every request.
            WorstCase = model => ModalityPricing.ImagesWorstCase(model, count, quality, size, TokenEstimator.CountPrompt(body.Span)),
            DialectState = new ModalityRequest("/images/generations", (answer, _) => ModalityPricing.ImagesUsage(answer, quality, size)),
        };
    }
}
