using System.Text.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's <c>POST /v1/moderations</c>: priced by the input's tokens at the catalog's rate (the omni-moderation
/// models are free: $0); the answer carries no usage, so the ledger's tokens are estimated from the input.
/// </summary>
internal sealed class OpenAIModerationInbound : OpenAIModalityInbound
{
    public static OpenAIModerationInbound Moderations { get; } = new();

    public override string Endpoint => "moderations";

    protected override InboundRequest ReadRequest(ReadOnlyMemory<byte> body, OpenAIRequest fields, JsonElement root, out ApiError? error)
    {
        error = root.TryGetProperty("input", out var input) && input.ValueKind is JsonValueKind.String or JsonValueKind.Array
            ? null
            : ApiError.BadRequest("Missing required parameter: 'input' (a string, an array of strings or of text and image parts).", "input");
        var prompt = body[fields.PromptRange];
        return new InboundRequest(body, fields)
        {
            Prompt = prompt,

            // A classification writes no tokens: the input is the whole cost.
            WorstCase = model => AdmissionControl.WorstCase(model, TokenEstimator.CountPrompt(prompt.Span), 0),
            DialectState = new ModalityRequest("/moderations", static (answer, _) => default(ModalityUsage)),
        };
    }
}
