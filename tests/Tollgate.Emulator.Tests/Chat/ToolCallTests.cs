using System.Text.Json;

namespace Tollgate.Emulator.Tests.Chat;

public sealed class ToolCallTests
{
    private const string Tools = """
        "tools":[
          {"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}},
          {"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object",
            "properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer"},
              "where":{"type":"object","properties":{"lat":{"type":"number"},"exact":{"type":["boolean","null"]}},"required":["lat","exact"]}},
            "required":["city","unit","where"]}}}
        ]
        """;

    private const string WeatherArguments = """{"city":"test","unit":"celsius","where":{"lat":1,"exact":true}}""";

    private static string Body(string extra, string userText, bool stream = false) =>
        $$"""{"model":"m","stream":{{(stream ? "true" : "false")}},{{Tools}},{{extra}}"messages":[{"role":"user","content":"{{userText}}"}]}""";

    [Fact]
    public async Task NonStreaming_DirectiveNamesTool_AnswersWithToolCall()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body("", "weather?\\n#emulator tool=get_weather"));

        var choice = (await Emu.ReadJsonAsync(response))["choices"]![0]!;
        Assert.Equal("tool_calls", (string)choice["finish_reason"]!);
        var message = choice["message"]!;
        Assert.Null(message["content"]);
        var call = message["tool_calls"]!.AsArray().Single()!;
        Assert.StartsWith("call_", (string)call["id"]!);
        Assert.Equal("function", (string)call["type"]!);
        Assert.Equal("get_weather", (string)call["function"]!["name"]!);

        // Required properties only ("days" is optional), each with a placeholder of its type.
        var arguments = (string)call["function"]!["arguments"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WeatherArguments), JsonNode.Parse(arguments)), arguments);
    }

    [Fact]
    public async Task NonStreaming_ToolChoiceNamesFunction_CallsIt()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            Body("""
                 "tool_choice":{"type":"function","function":{"name":"lookup"}},
                 """, "anything"));

        var call = (await Emu.ReadJsonAsync(response))["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Equal("lookup", (string)call["function"]!["name"]!);
        Assert.Equal("""{"q":"test"}""", (string)call["function"]!["arguments"]!);
    }

    [Fact]
    public async Task NonStreaming_ToolChoiceRequired_CallsFirstTool()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body("\"tool_choice\":\"required\",", "anything"));

        var call = (await Emu.ReadJsonAsync(response))["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Equal("lookup", (string)call["function"]!["name"]!);
    }

    [Theory]
    [InlineData("\"tool_choice\":\"none\",", "#emulator tool=get_weather")]
    [InlineData("", "no directive here")]
    [InlineData("\"tool_choice\":\"auto\",", "plain question")]
    public async Task NonStreaming_NoToolWanted_AnswersWithText(string extra, string userText)
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body(extra, userText));

        var choice = (await Emu.ReadJsonAsync(response))["choices"]![0]!;
        Assert.Equal("stop", (string)choice["finish_reason"]!);
        Assert.False(choice["message"]!.AsObject().ContainsKey("tool_calls"));
        Assert.StartsWith("Echo", (string)choice["message"]!["content"]!);
    }

    [Fact]
    public async Task NonStreaming_LastMessageIsToolResult_AnswersWithTextNotAnotherCall()
    {
        using var client = Emu.Client();
        var body = $$$"""
            {"model":"m",{{{Tools}}},"messages":[
              {"role":"user","content":"weather?\n#emulator tool=get_weather"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}
            """;
        using var response = await Emu.PostChatAsync(client, body);

        var choice = (await Emu.ReadJsonAsync(response))["choices"]![0]!;
        Assert.Equal("stop", (string)choice["finish_reason"]!);
        Assert.Equal("Echo: weather?", (string)choice["message"]!["content"]!);
    }

    [Fact]
    public async Task NonStreaming_ToolArgsKnob_CallsWithThoseArguments()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body("", """weather?\n#emulator tool=lookup tool_args={\"q\":\"/tmp/a.txt\"}"""));

        var call = (await Emu.ReadJsonAsync(response))["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Equal("lookup", (string)call["function"]!["name"]!);
        Assert.Equal("""{"q":"/tmp/a.txt"}""", (string)call["function"]!["arguments"]!);
    }

    [Fact]
    public async Task NonStreaming_ToolArgsNotAnObject_Returns400()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body("", "#emulator tool=lookup tool_args=[1]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("emulator.tool_args", (string)(await Emu.ReadJsonAsync(response))["error"]!["param"]!);
    }

    [Fact]
    public async Task NonStreaming_SystemMessageAfterTheUserTurn_StillAnswersTheUserWithTheTool()
    {
        // Claude Code appends its environment block as a system message after the user's turn.
        using var client = Emu.Client();
        var body = $$$"""
            {"model":"m",{{{Tools}}},"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"weather?\n#emulator tool=get_weather"},
              {"role":"system","content":"Platform: linux"}]}
            """;
        using var response = await Emu.PostChatAsync(client, body);

        var choice = (await Emu.ReadJsonAsync(response))["choices"]![0]!;
        Assert.Equal("tool_calls", (string)choice["finish_reason"]!);
    }

    [Fact]
    public async Task Messages_SystemMessageAfterTheUserTurn_AcceptedAndToolCalled()
    {
        using var client = Emu.Client();
        var body = """
            {"model":"claude-opus-5-5","max_tokens":100,
             "tools":[{"name":"Write","input_schema":{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}],
             "messages":[
              {"role":"user","content":[{"type":"text","text":"Write it.\n#emulator tool=Write tool_args={\"file_path\":\"/tmp/x.txt\",\"content\":\"hi\"}"}]},
              {"role":"system","content":[{"type":"text","text":"# Environment"}]}]}
            """;
        using var response = await Emu.SendAsync(client, "v1/messages", body, ("x-api-key", "k"), ("anthropic-version", "2023-06-01"));

        var message = await Emu.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, message.ToJsonString());
        Assert.Equal("tool_use", (string)message["stop_reason"]!);
        var use = message["content"]!.AsArray().Single(static b => (string?)b!["type"] == "tool_use")!;
        Assert.Equal("Write", (string)use["name"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"file_path":"/tmp/x.txt","content":"hi"}"""), use["input"]), use.ToJsonString());
    }

    [Fact]
    public async Task NonStreaming_DirectiveNamesUnknownTool_Returns400()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body("", "#emulator tool=nope"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("emulator.tool", (string)(await Emu.ReadJsonAsync(response))["error"]!["param"]!);
    }

    [Fact]
    public async Task Streaming_ToolCall_DeltasReassembleToValidArguments()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            Body("\"stream_options\":{\"include_usage\":true},", "#emulator tool=get_weather", stream: true));

        var events = await Emu.ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Emu.Chunks(events);

        var first = chunks[0]["choices"]![0]!["delta"]!;
        Assert.Equal("assistant", (string)first["role"]!);
        var head = first["tool_calls"]!.AsArray().Single()!;
        Assert.Equal(0, (int)head["index"]!);
        Assert.StartsWith("call_", (string)head["id"]!);
        Assert.Equal("function", (string)head["type"]!);
        Assert.Equal("get_weather", (string)head["function"]!["name"]!);
        Assert.Equal("", (string)head["function"]!["arguments"]!);

        var fragments = chunks
            .Skip(1)
            .Where(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["delta"]!["tool_calls"] is not null)
            .Select(c => c["choices"]![0]!["delta"]!["tool_calls"]![0]!)
            .ToList();
        Assert.True(fragments.Count > 1);
        Assert.All(fragments, f =>
        {
            Assert.Equal(0, (int)f["index"]!);
            Assert.False(f.AsObject().ContainsKey("id"));
            Assert.False(f["function"]!.AsObject().ContainsKey("name"));
        });
        var arguments = string.Concat(fragments.Select(f => (string)f["function"]!["arguments"]!));
        using var parsed = JsonDocument.Parse(arguments);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WeatherArguments), JsonNode.Parse(arguments)), arguments);

        var finish = chunks[^2]["choices"]![0]!;
        Assert.Equal("tool_calls", (string)finish["finish_reason"]!);
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True((long)chunks[^1]["usage"]!["completion_tokens"]! > 0);
    }

    [Fact]
    public async Task Streaming_ToolCallWithChunksKnob_SendsThatManyArgumentFragments()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, Body("", "#emulator tool=lookup chunks=3", stream: true));

        var chunks = Emu.Chunks(await Emu.ReadEventsAsync(response));

        // Head chunk + 3 argument fragments + finish chunk.
        Assert.Equal(5, chunks.Count);
        var arguments = string.Concat(chunks[1..4].Select(c => (string)c["choices"]![0]!["delta"]!["tool_calls"]![0]!["function"]!["arguments"]!));
        Assert.Equal("""{"q":"test"}""", arguments);
    }
}
