using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Emulator.Tests.Responses;

/// <summary><c>POST /v1/responses</c>: OpenAI's Responses API shapes from the shared chat engine.</summary>
public sealed class ResponsesEndpointTests
{
    private const string Weather = """{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}""";

    [Fact]
    public async Task Create_Text_MessageItemAndUsage()
    {
        using var client = Emu.Client();
        var body = await PostAsync(client, """{"model":"gpt-5","instructions":"Be brief.","input":"Hello\n#emulator prompt_tokens=100 cached_tokens=40 completion_tokens=9 reasoning_tokens=3"}""");

        Assert.Equal("response", (string?)body["object"]);
        Assert.Equal("completed", (string?)body["status"]);
        Assert.StartsWith("resp_", (string?)body["id"], StringComparison.Ordinal);
        var item = Assert.Single(body["output"]!.AsArray())!;
        Assert.Equal("message", (string?)item["type"]);
        Assert.Equal("Echo: Hello", (string?)item["content"]![0]!["text"]);
        Assert.Equal("""{"input_tokens":100,"input_tokens_details":{"cached_tokens":40},"output_tokens":9,"output_tokens_details":{"reasoning_tokens":3},"total_tokens":109}""", body["usage"]!.ToJsonString());
        Assert.Equal("Be brief.", (string?)body["instructions"]);
    }

    [Fact]
    public async Task Create_ToolKnobThenOutput_FunctionCallThenText()
    {
        using var client = Emu.Client();
        var first = await PostAsync(client, $$"""{"model":"m","input":[{"role":"user","content":"Weather?\n#emulator tool=get_weather"}],"tools":[{{Weather}}]}""");
        var call = Assert.Single(first["output"]!.AsArray())!;
        Assert.Equal("function_call", (string?)call["type"]);
        Assert.Equal("""{"city":"test","days":1}""", (string?)call["arguments"]);

        var second = await PostAsync(client, $$"""
            {"model":"m","tools":[{{Weather}}],"input":[{"role":"user","content":"Weather?\n#emulator tool=get_weather"},
             {{call.ToJsonString()}},{"type":"function_call_output","call_id":"{{(string?)call["call_id"]}}","output":"sunny"}]}
            """);
        Assert.Equal("Echo: Weather?", (string?)second["output"]![0]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task Create_ToolArgumentsKnob_CallsWithThoseArguments()
    {
        using var client = Emu.Client();
        var body = await PostAsync(client, $$"""{"model":"m","input":"Weather?\n#emulator tool=get_weather tool_args={\"city\":\"Oslo\"}","tools":[{{Weather}}]}""");

        Assert.Equal("""{"city":"Oslo"}""", (string?)body["output"]![0]!["arguments"]);
    }

    [Fact]
    public async Task Create_JsonSchemaFormat_AnswersJsonMatchingTheSchema()
    {
        using var client = Emu.Client();
        var body = await PostAsync(client, """{"model":"m","input":"A pet","text":{"format":{"type":"json_schema","name":"pet","schema":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"kind":{"enum":["cat","dog"]}},"required":["name","age","kind"]}}}}""");

        Assert.Equal("""{"name":"test","age":1,"kind":"cat"}""", (string?)body["output"]![0]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task Create_PreviousResponseId_KnownAddsTheConversationUnknownIs404()
    {
        using var client = Emu.Client();
        var first = await PostAsync(client, """{"model":"m","input":"My name is Bob."}""");
        var alone = await PostAsync(client, """{"model":"m","input":"Name?"}""");
        var chained = await PostAsync(client, $$"""{"model":"m","input":"Name?","previous_response_id":"{{(string?)first["id"]}}"}""");

        Assert.Equal((long)alone["usage"]!["input_tokens"]! + (long)first["usage"]!["total_tokens"]!, (long)chained["usage"]!["input_tokens"]!);

        using var unknown = await Emu.SendAsync(client, "v1/responses", """{"model":"m","input":"x","previous_response_id":"resp_nope"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("previous_response_not_found", (string?)(await Emu.ReadJsonAsync(unknown))["error"]!["code"]);

        var unstored = await PostAsync(client, """{"model":"m","input":"x","store":false}""");
        using var notKept = await Emu.SendAsync(client, "v1/responses", $$"""{"model":"m","input":"x","previous_response_id":"{{(string?)unstored["id"]}}"}""");
        Assert.Equal(HttpStatusCode.NotFound, notKept.StatusCode);
    }

    [Fact]
    public async Task Stream_WithReasoning_EventSequenceNumberedInOrder()
    {
        using var client = Emu.Client();
        using var response = await Emu.SendAsync(client, "v1/responses", """{"model":"m","input":"Hi there\n#emulator chunks=2","stream":true,"reasoning":{"effort":"low"}}""");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var blocks = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var events = new List<JsonNode>();
        foreach (var block in blocks)
        {
            // Each event is "event: <type>" then "data: <json>" whose type is the same.
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            var data = JsonNode.Parse(lines[1]["data: ".Length..])!;
            Assert.Equal("event: " + (string?)data["type"], lines[0]);
            events.Add(data);
        }

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            events.Select(static e => (string)e["type"]!));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(static e => (int)e["sequence_number"]!));
        var completed = events[^1]["response"]!;
        Assert.Equal(["reasoning", "message"], completed["output"]!.AsArray().Select(static i => (string)i!["type"]!));
        Assert.Equal("Echo: Hi there", string.Concat(events.Where(static e => (string?)e["type"] == "response.output_text.delta").Select(static e => (string?)e["delta"])));
        Assert.NotNull(completed["usage"]);
    }

    [Fact]
    public async Task InputTokens_EstimateOrKnob()
    {
        using var client = Emu.Client();
        var estimate = await PostAsync(client, """{"model":"m","input":"Hello","instructions":"Be brief."}""", "v1/responses/input_tokens");
        var created = await PostAsync(client, """{"model":"m","input":"Hello","instructions":"Be brief."}""");
        var knob = await PostAsync(client, """{"model":"m","input":"Hello","emulator":{"prompt_tokens":1234}}""", "v1/responses/input_tokens");

        Assert.Equal("response.input_tokens", (string?)estimate["object"]);
        Assert.Equal((long)created["usage"]!["input_tokens"]!, (long)estimate["input_tokens"]!);
        Assert.Equal(1234, (long)knob["input_tokens"]!);
    }

    [Fact]
    public async Task Create_Invalid_OpenAIErrors()
    {
        using var client = Emu.Client();
        using var noInput = await Emu.SendAsync(client, "v1/responses", """{"model":"m"}""");
        using var badMax = await Emu.SendAsync(client, "v1/responses", """{"model":"m","input":"x","max_output_tokens":3}""");

        Assert.Equal(HttpStatusCode.BadRequest, noInput.StatusCode);
        Assert.Equal("input", (string?)(await Emu.ReadJsonAsync(noInput))["error"]!["param"]);
        Assert.Equal("max_output_tokens", (string?)(await Emu.ReadJsonAsync(badMax))["error"]!["param"]);
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string json, string path = "v1/responses")
    {
        using var response = await Emu.SendAsync(client, path, json);
        var body = await Emu.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }
}
