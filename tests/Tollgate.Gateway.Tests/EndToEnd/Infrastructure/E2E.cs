using System.ClientModel;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

/// <summary>Small helpers shared by the end-to-end tests.</summary>
internal static class E2E
{
    /// <summary>
    /// Usage the emulator is told to report: 1000 prompt tokens of which 200 cached, 500 completion tokens of which
    /// 100 reasoning. Normalized: 800 uncached input, 200 cache reads, 500 output (reasoning inside, billed once).
    /// </summary>
    public const string UsageKnobs = "prompt_tokens=1000 completion_tokens=500 cached_tokens=200 reasoning_tokens=100";

    /// <summary>A user message that carries emulator knobs on a <c>#emulator</c> line; the emulator echoes only <paramref name="text"/>.</summary>
    public static string WithKnobs(string text, string knobs) => text + "\n#emulator " + knobs;

    /// <summary>A JSON string literal (quotes included) for hand-built bodies.</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public static decimal Dec(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The cost in a <c>usage</c> object: null when the gateway wrote <c>"cost": null</c>; fails when the key is missing.</summary>
    public static decimal? Cost(JsonNode? usage)
    {
        Assert.NotNull(usage);
        Assert.True(usage!.AsObject().ContainsKey("cost"), "usage has no 'cost': " + usage.ToJsonString());
        return usage["cost"]?.GetValue<decimal>();
    }

    public static string RequestId(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("x-tollgate-request-id"));

    public static string RequestId(ClientResult result)
    {
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-tollgate-request-id", out var id), "no x-tollgate-request-id header");
        return id!;
    }

    public static JsonObject RawJson(ClientResult result) => JsonNode.Parse(result.GetRawResponse().Content.ToString())!.AsObject();

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>
    /// Asserts OpenAI's error shape, <c>{"error":{"message","type","param","code"}}</c> with exactly those keys,
    /// a non-empty message and type, and returns the inner object.
    /// </summary>
    public static JsonObject AssertErrorShape(string body)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["error"], root.Select(p => p.Key));
        var error = root["error"]!.AsObject();
        Assert.Equal(["code", "message", "param", "type"], error.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)error["type"]));
        Assert.True(error["param"] is null || error["param"]!.GetValueKind() == System.Text.Json.JsonValueKind.String);
        Assert.True(error["code"] is null || error["code"]!.GetValueKind() == System.Text.Json.JsonValueKind.String);
        return error;
    }

    /// <summary>Asserts the status, a JSON content type and OpenAI's error shape; returns the inner error object.</summary>
    public static async Task<JsonObject> AssertErrorAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return AssertErrorShape(body);
    }

    /// <summary>The <c>data:</c> payloads of an SSE response, in order, <c>[DONE]</c> included.</summary>
    public static async Task<List<string>> ReadSseAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line["data: ".Length..]);
            }
        }

        return events;
    }

    /// <summary>The chunks of an SSE stream (everything but <c>[DONE]</c>), parsed.</summary>
    public static List<JsonObject> Chunks(List<string> events) =>
        events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!.AsObject()).ToList();

    /// <summary>The text of the stream's content deltas, joined.</summary>
    public static string Text(List<JsonObject> chunks) =>
        string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? ""));

    /// <summary>A chat request body, hand-built for the cases an SDK cannot send.</summary>
    public static string ChatBody(string model, string userText, string extra = "") =>
        $$"""{"model":{{Quote(model)}},"messages":[{"role":"user","content":{{Quote(userText)}}}]{{extra}}}""";

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;

    /// <summary>Asserts a ledger entry's normalized usage and cost.</summary>
    public static void AssertLedgerUsage(JsonObject entry, long input, long cacheRead, long output, long reasoning, decimal? cost)
    {
        var usage = entry["usage"]!;
        Assert.Equal(input, usage["input_tokens"]!.GetValue<long>());
        Assert.Equal(cacheRead, usage["cache_read_tokens"]!.GetValue<long>());
        Assert.Equal(0, usage["cache_write_tokens"]!.GetValue<long>());
        Assert.Equal(output, usage["output_tokens"]!.GetValue<long>());
        Assert.Equal(reasoning, usage["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(cost, entry["cost"]?.GetValue<decimal>());
    }
}
