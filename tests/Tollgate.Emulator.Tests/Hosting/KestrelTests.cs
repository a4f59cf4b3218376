using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Tollgate.Emulator.Tests.Hosting;

// End to end over a real socket on 127.0.0.1 with an OS-chosen port.
public sealed class KestrelTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapEmulator("/emu/", new EmulatorOptions { Models = ["k1"] });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single().TrimEnd('/') + "/emu/") };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Streaming_OverKestrel_SameShapeAsInProcess()
    {
        using var response = await Emu.PostChatAsync(_client!,
            """{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"over the wire"}]}""",
            ("x-emulator-prompt-tokens", "42"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await Emu.ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Emu.Chunks(events);
        Assert.Equal("Echo: over the wire", Emu.Content(chunks));
        Assert.Equal(42, (long)chunks[^1]["usage"]!["prompt_tokens"]!);
        Assert.Equal("stop", (string)chunks[^2]["choices"]![0]!["finish_reason"]!);
    }

    [Fact]
    public async Task Streaming_CutOverKestrel_ClientFailsWithoutDone()
    {
        // Over a socket the abort races the bytes still queued in the server, so on a loaded machine the
        // failure may already surface while reading headers; either way the stream never completes.
        var events = new List<string>();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await Emu.PostChatAsync(_client!,
                """{"model":"m","stream":true,"emulator":{"fault":"cut","chunks":6},"messages":[{"role":"user","content":"cut me off"}]}""");
            await Emu.ReadEventsAsync(response, events);
        });

        Assert.True(events.Count <= 4, $"{events.Count} events"); // at most the role chunk + 3 of 6 content chunks
        Assert.DoesNotContain("[DONE]", events);
    }

    [Fact]
    public async Task Errors_OverKestrel_MalformedJsonAndStatusKnob()
    {
        using var bad = await Emu.PostChatAsync(_client!, "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_request_error", (string)(await Emu.ReadJsonAsync(bad))["error"]!["type"]!);

        using var limited = await Emu.PostChatAsync(_client!,
            """{"model":"m","emulator":{"status":429},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ModelsAndEmbeddings_OverKestrel_UnderPrefix()
    {
        var models = await Emu.ReadJsonAsync(await _client!.GetAsync("v1/models"));
        Assert.Equal("k1", (string)models["data"]![0]!["id"]!);

        using var embedded = await Emu.SendAsync(_client!, "v1/embeddings", """{"model":"e","input":"x","dimensions":3}""");
        Assert.Equal(3, (await Emu.ReadJsonAsync(embedded))["data"]![0]!["embedding"]!.AsArray().Count);
    }

    [Fact]
    public async Task EmulatorServer_PortZero_ServesModels()
    {
        await using var app = EmulatorServer.Build(["--port", "0", "--Logging:LogLevel:Default", "Warning"], new EmulatorOptions { Models = ["srv"] });
        await app.StartAsync();
        try
        {
            var url = app.Urls.Single();
            Assert.StartsWith("http://127.0.0.1:", url);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            var models = await Emu.ReadJsonAsync(await client.GetAsync("/v1/models"));
            Assert.Equal("srv", (string)models["data"]![0]!["id"]!);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
