using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// Metrics and traces through OpenTelemetry .NET: the gateway's Meter is exported in Prometheus text format at
/// <c>GET /metrics</c>; its ActivitySource goes to OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter
/// reads the standard <c>OTEL_*</c> variables itself), and is not sampled at all otherwise.
/// </summary>
internal static class TelemetryHostExtensions
{
    public static IServiceCollection AddTollgateTelemetry(this IServiceCollection services, Func<string, string?> env)
    {
        services.AddSingleton<GatewayMetrics>();
        var otel = services.AddOpenTelemetry()
            .WithMetrics(static m => m.AddMeter(GatewayTelemetry.MeterName).AddPrometheusExporter());
        if (!string.IsNullOrEmpty(env("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            // The SDK's default sampler follows the parent, and the parent of every request span is ASP.NET Core's own
            // request activity, which nothing samples: every span would be dropped. Unless OTEL_TRACES_SAMPLER says
            // otherwise, every request is traced (its trace id still the caller's traceparent's, when it sent one).
            var sampled = string.IsNullOrEmpty(env("OTEL_TRACES_SAMPLER"));
            otel.WithTracing(t =>
            {
                t.AddSource(GatewayTelemetry.SourceName).AddOtlpExporter();
                if (sampled)
                {
                    t.SetSampler(new AlwaysOnSampler());
                }
            });
        }

        return services;
    }

    /// <summary>
    /// Without an OTLP endpoint nothing traces, yet ASP.NET Core starts an <c>Activity</c> for every request whenever
    /// its hosting diagnostics category is enabled at any level (for log scopes), and HttpClient then starts another
    /// per upstream call to carry it on: two activities, their ids and an execution-context change per request for no
    /// reader. That category logs only request start and end (Information and Debug, filtered out anyway) and
    /// start-up failures, which also end the process with the exception. With OTLP on it is left alone: ASP.NET Core's
    /// activity is what continues the caller's <c>traceparent</c>.
    /// </summary>
    public static void QuietRequestActivity(this ILoggingBuilder logging, Func<string, string?> env)
    {
        if (string.IsNullOrEmpty(env("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
    }

    /// <summary>Maps <c>GET /metrics</c> and points the circuit gauge at the router's breakers.</summary>
    public static void MapTollgateMetrics(this WebApplication app)
    {
        var breakers = app.Services.GetRequiredService<Router>().Breakers;
        app.Services.GetRequiredService<GatewayMetrics>().ObserveCircuits(breakers.States);
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
