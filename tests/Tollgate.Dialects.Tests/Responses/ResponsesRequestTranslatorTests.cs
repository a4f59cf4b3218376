using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Responses;

namespace Tollgate.Dialects.Tests.Responses;

public sealed class ResponsesRequestTranslatorTests
{
    [Fact]
    public void Translate_StringInputWithInstructions_SystemThenUserMessage()
    {
        var chat = Chat("""{"model":"m","instructions":"Be brief.","input":"Hi","max_output_tokens":50,"temperature":0.2,"stream":true}""");

        Assert.Equal("""[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}]""", chat["messages"]!.ToJsonString());
        Assert.Equal(50, (int)chat["max_completion_tokens"]!);
        Assert.Equal(0.2, (double)chat["temperature"]!);
        Assert.True((bool)chat["stream"]!);
        Assert.True((bool)chat["stream_options"]!["include_usage"]!);
    }

    [Fact]
    public void Translate_ToolRoundTrip_AssistantToolCallsThenToolMessage()
    {
        var chat = Chat("""
            {"model":"m","input":[
              {"role":"developer","content":"rules"},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"weather?"},{"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"}]},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"},
              {"type":"function_call","call_id":"call_2","name":"get_time","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"sunny"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"noon"}]}],
             "tools":[{"type":"function","name":"get_weather","description":"d","parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false}
            """);

        var messages = chat["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool", "tool"], messages.Select(static m => (string)m!["role"]!));
        Assert.Equal("""{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}""", messages[1]!["content"]![1]!.ToJsonString());
        Assert.Equal("Checking.", (string?)messages[2]!["content"]);
        Assert.Equal(["call_1", "call_2"], messages[2]!["tool_calls"]!.AsArray().Select(static c => (string)c!["id"]!));
        Assert.Equal("""{"city":"Oslo"}""", (string?)messages[2]!["tool_calls"]![0]!["function"]!["arguments"]);
        Assert.Equal("call_2", (string?)messages[4]!["tool_call_id"]);
        Assert.Equal("noon", (string?)messages[4]!["content"]);
        Assert.Equal("""[{"type":"function","function":{"name":"get_weather","description":"d","parameters":{"type":"object"},"strict":true}}]""", chat["tools"]!.ToJsonString());
        Assert.Equal("""{"type":"function","function":{"name":"get_weather"}}""", chat["tool_choice"]!.ToJsonString());
        Assert.False((bool)chat["parallel_tool_calls"]!);
    }

    [Fact]
    public void Translate_JsonSchemaFormatAndReasoning_ResponseFormatAndEffort()
    {
        var translation = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]},"strict":true}},
             "reasoning":{"effort":"high","summary":"auto"},"store":false,"metadata":{"a":"b"},"prompt_cache_key":"k","truncation":"auto"}
            """));

        var chat = JsonNode.Parse(translation.Body!)!;
        Assert.Equal("json_schema", (string?)chat["response_format"]!["type"]);
        Assert.Equal("person", (string?)chat["response_format"]!["json_schema"]!["name"]);
        Assert.True((bool)chat["response_format"]!["json_schema"]!["strict"]!);
        Assert.Equal("high", (string?)chat["reasoning_effort"]);
        Assert.Null(chat["store"]);
        Assert.Null(chat["metadata"]);
        Assert.Equal(["reasoning.summary", "prompt_cache_key", "truncation"], translation.Unsupported);
        Assert.Equal("""{"a":"b"}""", translation.Echo["metadata"]!.ToJsonString());
        Assert.False((bool)translation.Echo["store"]!);
    }

    [Fact]
    public void Translate_History_ReplayedBeforeTheInput()
    {
        var history = new List<JsonNode>
        {
            JsonNode.Parse("""{"type":"message","role":"user","content":[{"type":"input_text","text":"My name is Bob."}]}""")!,
            JsonNode.Parse("""{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hello Bob.","annotations":[]}]}""")!,
        };

        var translation = ResponsesRequestTranslator.Translate("""{"model":"m","input":"Name?","previous_response_id":"resp_1"}"""u8, history);

        var messages = JsonNode.Parse(translation.Body!)!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(static m => (string)m!["role"]!));
        Assert.Equal("Hello Bob.", (string?)messages[1]!["content"]);
        Assert.Single(translation.InputItems);
        Assert.Empty(translation.Unsupported);
    }

    [Fact]
    public void Translate_BuiltInTools_CollectedNotSent()
    {
        var translation = ResponsesRequestTranslator.Translate("""{"model":"m","input":"x","tools":[{"type":"web_search"},{"type":"function","name":"f"}]}"""u8);

        Assert.Equal(["web_search"], translation.BuiltInTools);
        Assert.Single(JsonNode.Parse(translation.Body!)!["tools"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"model":"m","input":7}""", "input")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}""", "input")]
    [InlineData("""{"model":"m","input":[{"role":"tool","content":"x"}]}""", "input[0]")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"n"}}}""", "text.format")]
    [InlineData("""{"model":"m","input":"x","tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    public void Translate_Invalid_FailsNamingTheParameter(string body, string param)
    {
        var translation = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(body));

        Assert.False(translation.IsSuccess);
        Assert.Equal(param, translation.ErrorParam);
        Assert.False(string.IsNullOrEmpty(translation.Error));
    }

    private static JsonNode Chat(string body)
    {
        var translation = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(body));
        Assert.True(translation.IsSuccess, translation.Error);
        return JsonNode.Parse(translation.Body!)!;
    }
}
