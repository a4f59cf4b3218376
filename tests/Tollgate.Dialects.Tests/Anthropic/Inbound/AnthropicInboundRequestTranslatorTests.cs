using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic;
using Tollgate.Dialects.Anthropic.Inbound;

namespace Tollgate.Dialects.Tests.Anthropic.Inbound;

public sealed class AnthropicInboundRequestTranslatorTests
{
    [Fact]
    public void Translate_FullConversation_OpenAIMessagesInOrder()
    {
        var body = Ok("""
            {"model":"claude-sonnet","max_tokens":500,
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "messages":[
               {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
               {"role":"assistant","content":[
                 {"type":"thinking","thinking":"Use the tool.","signature":"sig1"},
                 {"type":"text","text":"Checking."},
                 {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"cold"},{"type":"text","text":"And tomorrow?"}]}]}
            """, "gpt-4.1");

        var expected = JsonNode.Parse("""
            [{"role":"system","content":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}]},
             {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
             {"role":"assistant","content":"Checking.","reasoning_content":"Use the tool.",
              "thinking_blocks":[{"type":"thinking","thinking":"Use the tool.","signature":"sig1"}],
              "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_1","content":"cold"},
             {"role":"user","content":[{"type":"text","text":"And tomorrow?"}]}]
            """);
        Assert.Equal("gpt-4.1", (string?)body["model"]);
        Assert.Equal(500, (int)body["max_tokens"]!);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]), body["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolsChoiceStopAndSampling_Mapped()
    {
        var body = Ok("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"x"}],
             "tools":[{"name":"weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true},
             "stop_sequences":["END"],"temperature":0.3,"top_p":0.8,"metadata":{"user_id":"u1"},"stream":true}
            """, null);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"type":"function","function":{"name":"weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""), body["tools"]));
        Assert.Equal("required", (string?)body["tool_choice"]);
        Assert.False((bool)body["parallel_tool_calls"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["END"]"""), body["stop"]));
        Assert.Equal(0.3, (double)body["temperature"]!);
        Assert.Equal(0.8, (double)body["top_p"]!);
        Assert.Equal("u1", (string?)body["user"]);
        Assert.True((bool)body["stream"]!);
        Assert.True((bool)body["stream_options"]!["include_usage"]!);
        Assert.Equal("m", (string?)body["model"]);
    }

    [Theory]
    [InlineData(1024, "low")]
    [InlineData(4000, "medium")]
    [InlineData(20000, "high")]
    public void Translate_ThinkingBudget_ToReasoningEffort(int budget, string effort)
    {
        var body = Ok($$$"""{"model":"m","max_tokens":30000,"messages":[{"role":"user","content":"x"}],"thinking":{"type":"enabled","budget_tokens":{{{budget}}}}}""", null);

        Assert.Equal(effort, (string?)body["reasoning_effort"]);
    }

    [Fact]
    public void Translate_NamedToolChoiceAndOutputFormat_Mapped()
    {
        var body = Ok("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"x"}],
             "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"f"},
             "output_format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}
            """, null);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"function","function":{"name":"f"}}"""), body["tool_choice"]));
        Assert.Equal("json_schema", (string?)body["response_format"]!["type"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}"""), body["response_format"]!["json_schema"]!["schema"]));
    }

    [Fact]
    public void Translate_PdfDocument_BecomesFilePart()
    {
        var body = Ok("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","title":"a.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}]}""", null);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBE","filename":"a.pdf"}}"""), body["messages"]![0]!["content"]![0]));
    }

    [Fact]
    public void Translate_UnknownTopLevelField_NamedAsUnsupported()
    {
        var result = AnthropicInboundRequestTranslator.Translate("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"x"}],"top_k":5,"container":"c1"}"""u8, null);

        Assert.True(result.IsSuccess);
        Assert.Equal(["top_k", "container"], result.UnsupportedParameters);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[]}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"image"}]}]}""", "messages[1].content[0]")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools[0]")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"search_result"}]}]}""", "messages[0].content[0].type")]
    public void Translate_BadInput_ErrorNamesParameter(string json, string param)
    {
        var result = AnthropicInboundRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), null);

        Assert.False(result.IsSuccess);
        Assert.Equal(param, result.Error!.Param);
    }

    [Fact]
    public void Translate_TrailingAndInterleavedSystemMessages_SystemMessagesWhereTheyStand()
    {
        // Claude Code sends its environment block as a system message after the user's turn.
        var body = Ok("""
            {"model":"claude-opus-5-5","max_tokens":32000,
             "system":[{"type":"text","text":"You are Claude Code."}],
             "messages":[
               {"role":"user","content":[{"type":"text","text":"List the files."}]},
               {"role":"system","content":[{"type":"text","text":"# Environment\nPlatform: linux","cache_control":{"type":"ephemeral"}}]},
               {"role":"assistant","content":"Done."},
               {"role":"system","content":"Be terse from here on."},
               {"role":"user","content":"Thanks"}]}
            """, "gpt-4.1");

        var expected = JsonNode.Parse("""
            [{"role":"system","content":[{"type":"text","text":"You are Claude Code."}]},
             {"role":"user","content":[{"type":"text","text":"List the files."}]},
             {"role":"system","content":[{"type":"text","text":"# Environment\nPlatform: linux","cache_control":{"type":"ephemeral"}}]},
             {"role":"assistant","content":"Done."},
             {"role":"system","content":"Be terse from here on."},
             {"role":"user","content":"Thanks"}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]), body["messages"]!.ToJsonString());
    }

    [Fact]
    public void RoundTrip_AnthropicToOpenAIToAnthropic_KeepsToolsIdsAndSignatures()
    {
        var original = """
            {"model":"m","max_tokens":100,"messages":[
              {"role":"user","content":[{"type":"text","text":"Go"}]},
              {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s=="},{"type":"tool_use","id":"toolu_7","name":"f","input":{"x":[1,{"y":null}]}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_7","content":[{"type":"text","text":"done"}]}]}]}
            """;

        var openAI = AnthropicInboundRequestTranslator.Translate(Encoding.UTF8.GetBytes(original), null);
        var back = AnthropicRequestTranslator.Translate(openAI.Body, new AnthropicTranslateOptions { Model = "m" });

        Assert.True(back.IsSuccess, back.Error?.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original)!["messages"], JsonNode.Parse(back.Body!)!["messages"]), Encoding.UTF8.GetString(back.Body!));
    }

    private static JsonObject Ok(string json, string? model)
    {
        var result = AnthropicInboundRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), model);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return JsonNode.Parse(result.Body!)!.AsObject();
    }
}
