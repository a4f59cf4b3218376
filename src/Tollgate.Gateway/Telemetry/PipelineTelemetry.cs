using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// What the request pipeline and its settler tell <see cref="GatewayMetrics"/> and <see cref="GatewayTracing"/>, kept
/// here so the pipeline makes one call per fact. Nothing here allocates: label values are constants or strings the
/// request already holds, and the outcome is a struct.
/// </summary>
internal static class PipelineTelemetry
{
    /// <summary>The GenAI operation of a ledger endpoint (a constant, so the span name and labels cost nothing).</summary>
    public static string Operation(string endpoint) => endpoint switch
    {
        "embeddings" or "embed_content" or "batch_embed_contents" => "embeddings",
        "count_tokens" or "gemini_count_tokens" => "count_tokens",
        _ => "chat",
    };

    /// <summary>The settled request as telemetry sees it: the same facts as its ledger entry.</summary>
    public static RequestTelemetry Outcome(LedgerEntry entry) => new()
    {
        Operation = Operation(entry.Endpoint),
        Endpoint = entry.Endpoint,
        Provider = entry.Provider,
        RequestModel = entry.Model,

        // The catalog model of the deployment that answered (the provider's own dated name is not read from the body).
        ResponseModel = entry.Provider is null ? null : entry.Model,
        KeyId = entry.KeyId,
        Status = entry.Status,
        ErrorType = entry.ErrorType,
        Duration = TimeSpan.FromMilliseconds(entry.LatencyMs),
        TimeToFirstToken = entry.TtftMs is { } ttft ? TimeSpan.FromMilliseconds(ttft) : null,
        InputTokens = entry.InputTokens + entry.CacheReadTokens + entry.CacheWriteTokens,
        CacheReadTokens = entry.CacheReadTokens,
        CacheWriteTokens = entry.CacheWriteTokens,
        OutputTokens = entry.OutputTokens,
        ReasoningTokens = entry.ReasoningTokens,
        Cost = entry.Cost,
    };

    /// <summary>
    /// Counts a refusal by admission: a budget's (<c>insufficient_quota</c>) or a rate limit's
    /// (<c>rate_limit_exceeded</c>, told apart by the error's type and message). Other refusals (scope, unpriced
    /// model, shared store down) are in the request counter only.
    /// </summary>
    public static void RecordRefusal(this GatewayMetrics metrics, string? keyId, ApiError error)
    {
        switch (error.Code)
        {
            case "insufficient_quota":
                metrics.RecordBudgetRefusal(keyId);
                break;
            case "rate_limit_exceeded":
                metrics.RecordRateLimitRefusal(keyId, error.Type == "tokens"
                    ? (error.Message.Contains("per UTC day", StringComparison.Ordinal) ? "tokens_per_day" : "tpm")
                    : (error.Message.Contains("max_parallel", StringComparison.Ordinal) ? "max_parallel" : "rpm"));
                break;
        }
    }

    /// <summary>
    /// Counts an attempt that was sent after an earlier one of the same request (<paramref name="previous"/>): on the
    /// same group it is a retry, on another group a fallback.
    /// </summary>
    public static void RecordAttempt(this GatewayMetrics metrics, in RouteAttempt? previous, in RouteAttempt attempt)
    {
        if (previous is not { } before)
        {
            return;
        }

        var to = attempt.Deployment;
        if (ReferenceEquals(before.Group, attempt.Group))
        {
            metrics.RecordRetry(to.Upstream.Id, to.DeploymentId);
        }
        else
        {
            metrics.RecordFallback(before.Deployment.Upstream.Id, to.Upstream.Id, to.DeploymentId);
        }
    }
}
