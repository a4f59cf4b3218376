using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>An upstream that fails mid-stream, from hand-written recordings replayed by the emulator.</summary>
public sealed class StreamFailureTests : IAsyncLifetime
{
    private const string AnthropicOverloaded = """
        {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}
        {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
        {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}
        {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}
        """;

    private readonly string _recordings = Path.Combine(Path.GetTempPath(), "tollgate-recordings-" + Guid.NewGuid().ToString("N"));
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_recordings, "anthropic"));
        await File.WriteAllTextAsync(Path.Combine(_recordings, "anthropic", "overloaded.chunks.txt"), AnthropicOverloaded);
        _gateway = await DialectGateway.StartAsync(recordings: _recordings);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_recordings, recursive: true);
    }

    [Fact]
    public async Task Chat_AnthropicErrorEventMidStream_ErrorChunkNoDoneLedger502WithUsageSoFar()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = DialectGateway.JsonContent(new
            {
                model = "anthropic/claude-sonnet-4-5",
                stream = true,
                messages = new[] { new { role = "user", content = "#emulator replay=anthropic/overloaded\nHi" } },
            }),
        };
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await ReadWhatArrivesAsync(response);

        Assert.Contains("\"Hel\"", text, StringComparison.Ordinal);
        Assert.Contains("Overloaded", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(502, entry["status"]!.GetValue<int>());
        Assert.Equal("upstream_stream_error", entry["error_type"]!.GetValue<string>());
        Assert.Equal(100, entry["usage"]!["input_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Messages_TranslatedStreamCut_NoMessageStopLedger502()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = DialectGateway.JsonContent(new
            {
                model = "gemini/gemini-2.5-flash",
                max_tokens = 100,
                stream = true,
                messages = new[] { new { role = "user", content = "#emulator fault=cut chunks=6\none two three four five six" } },
            }),
        };
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await ReadWhatArrivesAsync(response);

        Assert.DoesNotContain("event: message_stop", text, StringComparison.Ordinal);
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        // Over real sockets the emulator's abort may even overtake its headers: either way a 502, never a whole answer.
        Assert.Equal(502, entry["status"]!.GetValue<int>());
    }

    private static async Task<string> ReadWhatArrivesAsync(HttpResponseMessage response)
    {
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The gateway aborts a failed stream: what arrived before is what the client saw.
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
