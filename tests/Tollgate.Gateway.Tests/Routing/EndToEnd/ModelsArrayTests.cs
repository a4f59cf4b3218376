using System.Net;
using System.Text.Json.Nodes;
using Tollgate.Emulator;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>
/// OpenRouter's <c>models</c> array: tried after the named model's plan, and never forwarded. The answering upstream
/// is an in-process emulator behind a handler that keeps each request body it forwards, so the body can be checked.
/// (The OpenAI SDK has no <c>models</c> field, so this one request is raw HTTP.)
/// </summary>
public sealed class ModelsArrayTests
{
    [Fact]
    public async Task FirstModelFails_NextInModelsAnswers_AndTheFieldIsNotForwarded()
    {
        var recorder = new BodyRecorder(new EmulatorOptions());
        await using var gateway = await RoutingGateway.StartAsync(
            [new Upstream("bad", Faults: """{"status": 503, "retry_after": 0}""")],
            """{ "first": { "deployments": [ { "provider": "bad", "model": "gpt-4o-mini" } ] } }""",
            demo: () => recorder);

        using var response = await gateway.Http.PostAsync("/v1/chat/completions", RoutingGateway.Json(
            """{"model": "first", "models": ["demo/gpt-4o-mini"], "messages": [{"role": "user", "content": "array"}]}"""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Echo: array", (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.Equal("demo", response.Headers.GetValues("x-tollgate-provider").Single());
        Assert.True(gateway.Count("bad") >= 1);
        var forwarded = Assert.Single(recorder.Bodies, b => b.Contains("array", StringComparison.Ordinal));
        var sent = JsonNode.Parse(forwarded)!.AsObject();
        Assert.False(sent.ContainsKey("models"), forwarded);
        Assert.Equal("gpt-4o-mini", (string?)sent["model"]);
    }

    /// <summary>Keeps the body of every request, then lets the emulator answer it.</summary>
    private sealed class BodyRecorder(EmulatorOptions options) : DelegatingHandler(new EmulatorHandler(options))
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Bodies { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                var text = await request.Content.ReadAsStringAsync(cancellationToken);
                Bodies.Enqueue(text);
                var copy = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
                request.Content = copy;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
