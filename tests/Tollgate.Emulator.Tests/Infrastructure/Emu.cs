using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Tollgate.Emulator.Tests.Infrastructure;

/// <summary>Helpers to call the emulator in process through <see cref="EmulatorHandler"/>.</summary>
internal static class Emu
{
    public static HttpClient Client(EmulatorOptions? options = null) =>
        new(new EmulatorHandler(options)) { BaseAddress = new Uri("http://upstream.invalid/") };

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string json, params (string Name, string Value)[] headers) =>
        SendAsync(client, "v1/chat/completions", json, headers);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>The <c>data:</c> payloads of an SSE response, in order, <c>[DONE]</c> included.</summary>
    public static async Task<List<string>> ReadEventsAsync(HttpResponseMessage response, List<string>? into = null)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = into ?? [];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line["data: ".Length..]);
            }
            else
            {
                Assert.Equal("", line);
            }
        }

        return events;
    }

    public static List<JsonObject> Chunks(List<string> events) =>
        events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!.AsObject()).ToList();

    public static string Content(List<JsonObject> chunks) =>
        string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0)
            .Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? ""));

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;
}
