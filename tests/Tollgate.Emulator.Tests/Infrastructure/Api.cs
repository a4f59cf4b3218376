using System.Text;

namespace Tollgate.Emulator.Tests.Infrastructure;

/// <summary>One request in each API the emulator speaks, so a fault can be checked in all of them.</summary>
internal static class Api
{
    public const string OpenAI = "openai";
    public const string Embeddings = "embeddings";
    public const string Anthropic = "anthropic";
    public const string CountTokens = "count_tokens";
    public const string Gemini = "gemini";

    public static TheoryData<string> All => [OpenAI, Embeddings, Anthropic, Gemini];

    /// <summary>The APIs that stream.</summary>
    public static TheoryData<string> Chat => [OpenAI, Anthropic, Gemini];

    /// <summary>
    /// Sends a request of <paramref name="api"/> with the <c>emulator</c> body field <paramref name="knobs"/> (a JSON
    /// object), the user text <paramref name="text"/>, streaming when asked; the response is returned at its headers.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, string api, string knobs = "{}", bool stream = false, string text = "one two three four", params (string Name, string Value)[] headers)
    {
        var quoted = System.Text.Json.JsonSerializer.Serialize(text);
        var s = stream ? "true" : "false";
        var (path, body) = api switch
        {
            OpenAI => ("v1/chat/completions", $$"""{"model":"gpt-4o-mini","stream":{{s}},"messages":[{"role":"user","content":{{quoted}}}],"emulator":{{knobs}}}"""),
            Embeddings => ("v1/embeddings", $$"""{"model":"text-embedding-3-small","input":{{quoted}},"emulator":{{knobs}}}"""),
            Anthropic => ("v1/messages", $$"""{"model":"claude-sonnet-4-5","max_tokens":100,"stream":{{s}},"messages":[{"role":"user","content":{{quoted}}}],"emulator":{{knobs}}}"""),
            CountTokens => ("v1/messages/count_tokens", $$"""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":{{quoted}}}],"emulator":{{knobs}}}"""),
            Gemini => (stream ? "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse" : "v1beta/models/gemini-2.5-flash:generateContent",
                $$"""{"contents":[{"role":"user","parts":[{"text":{{quoted}}}]}],"emulator":{{knobs}}}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(api), api, null),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (api is Anthropic or CountTokens)
        {
            request.Headers.Add("x-api-key", "test-key");
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else if (api == Gemini)
        {
            request.Headers.Add("x-goog-api-key", "test-key");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The error's kind as each API names it: OpenAI's <c>type</c>, Anthropic's <c>error.type</c>, Gemini's <c>status</c>.</summary>
    public static string ErrorKind(string api, JsonObject body) => api == Gemini
        ? (string)body["error"]!["status"]!
        : (string)body["error"]!["type"]!;

    public static string ErrorMessage(JsonObject body) => (string)body["error"]!["message"]!;

    /// <summary>A response header's single value, or null when absent.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The number of <c>data:</c> lines of a stream after which its first content has arrived.</summary>
    public static int EventsBeforeFirstContent(string api) => api switch
    {
        OpenAI => 2,    // the role chunk, then the first content chunk
        Anthropic => 4, // message_start, content_block_start, ping, the first content_block_delta
        _ => 1,         // Gemini: the first piece
    };

    /// <summary>The last <c>data:</c> payload of a finished stream.</summary>
    public static bool IsStreamEnd(string api, string lastData) => api switch
    {
        OpenAI => lastData == "[DONE]",
        Anthropic => lastData.Contains("\"message_stop\"", StringComparison.Ordinal),
        _ => lastData.Contains("\"finishReason\"", StringComparison.Ordinal),
    };
}
