using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Telemetry;

namespace Tollgate.Gateway.Tests.Telemetry;

/// <summary>The request and attempt spans the pipeline starts through <see cref="GatewayTracing"/>.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class GatewayTracingTests
{
    [Fact]
    public async Task Spans_RequestAndAttempt_CarryGenAiAttributes_AndTheAttemptsTraceReachesTheUpstream()
    {
        using var recorder = new SpanRecorder();
        await using var upstream = await EchoServer.StartAsync();

        var outcome = new RequestTelemetry
        {
            Operation = "chat",
            Endpoint = "chat",
            Provider = "openai",
            RequestModel = "openai/gpt-4o",
            ResponseModel = "gpt-4o-2024-08-06",
            KeyId = "tg-abcde",
            Status = 200,
            InputTokens = 1234,
            OutputTokens = 56,
            Cost = 0.003645m,
        };
        string traceparent;
        using (var request = GatewayTracing.StartRequest("chat", "openai/gpt-4o"))
        {
            Assert.NotNull(request);
            using (var attempt = GatewayTracing.StartAttempt("chat", "openai", "gpt-4o", 1))
            {
                using var http = new HttpClient();
                traceparent = await http.GetStringAsync(upstream.Url);
                GatewayTracing.Finish(attempt, outcome);
            }

            GatewayTracing.Finish(request, outcome with { Status = 502, ErrorType = "upstream_error" });
        }

        var req = Assert.Single(recorder.Stopped, a => a.Kind == ActivityKind.Server);
        var att = Assert.Single(recorder.Stopped, a => a.Kind == ActivityKind.Client);
        Assert.Equal("chat openai/gpt-4o", req.DisplayName);
        Assert.Equal(req.SpanId, att.ParentSpanId);
        Assert.Equal("chat", att.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", att.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-2024-08-06", att.GetTagItem("gen_ai.response.model"));
        Assert.Equal(1234L, att.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(56L, att.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("0.003645", att.GetTagItem("tollgate.cost.usd"));
        Assert.Equal(ActivityStatusCode.Error, req.Status);
        Assert.Equal("upstream_error", req.GetTagItem("error.type"));

        // W3C trace context: the upstream's request is in the attempt's trace (HttpClient may add a span of its own
        // under the attempt, so the parent id it sends is that span's).
        Assert.StartsWith($"00-{att.TraceId}-", traceparent, StringComparison.Ordinal);
        Assert.EndsWith("-01", traceparent, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_NoListener_CostNothing()
    {
        Assert.Null(GatewayTracing.StartRequest("chat", "x/y"));
        GatewayTracing.Finish(null, new RequestTelemetry { Operation = "chat", Endpoint = "chat" });
    }

    /// <summary>An upstream stand-in on 127.0.0.1 that answers with the <c>traceparent</c> header it received.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private WebApplication _app = null!;

        public string Url { get; private set; } = "";

        public static async Task<EchoServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/", static (HttpContext c) => c.Response.WriteAsync(c.Request.Headers["traceparent"].ToString()));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EchoServer { _app = app, Url = address + "/" };
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
