namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// The names under which the gateway publishes telemetry: one <see cref="System.Diagnostics.ActivitySource"/> for
/// traces and one <see cref="System.Diagnostics.Metrics.Meter"/> for metrics, both <c>Tollgate.Gateway</c>, with the
/// OpenTelemetry GenAI semantic conventions' instrument and attribute names where they fit.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The ActivitySource of request and upstream-attempt spans.</summary>
    public const string SourceName = "Tollgate.Gateway";

    /// <summary>The Meter of every gateway instrument.</summary>
    public const string MeterName = "Tollgate.Gateway";

    /// <summary>Attribute names (GenAI semantic conventions first, then Tollgate's own).</summary>
    public static class Attributes
    {
        public const string OperationName = "gen_ai.operation.name";
        public const string ProviderName = "gen_ai.provider.name";
        public const string RequestModel = "gen_ai.request.model";
        public const string ResponseModel = "gen_ai.response.model";
        public const string TokenType = "gen_ai.token.type";
        public const string InputTokens = "gen_ai.usage.input_tokens";
        public const string OutputTokens = "gen_ai.usage.output_tokens";
        public const string ErrorType = "error.type";
        public const string StatusCode = "http.response.status_code";
        public const string KeyId = "tollgate.key.id";
        public const string TokenKind = "tollgate.token.kind";
        public const string Endpoint = "tollgate.endpoint";
        public const string Cost = "tollgate.cost.usd";
        public const string Limit = "tollgate.limit";
        public const string Attempt = "tollgate.attempt";
        public const string FallbackFrom = "tollgate.fallback.from";
    }
}
