using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic;

namespace Tollgate.Dialects.Tests.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    private static readonly AnthropicTranslateOptions Options = new() { Model = "claude-sonnet-4-5-20250929", DefaultMaxTokens = 8192 };

    [Fact]
    public void Translate_PlainChat_SetsUpstreamModelAndDefaultMaxTokens()
    {
        var body = Ok("""{"model":"sonnet","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal("claude-sonnet-4-5-20250929", (string?)body["model"]);
        Assert.Equal(8192, (int)body["max_tokens"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"role":"user","content":[{"type":"text","text":"Hi"}]}]"""), body["messages"]));
        Assert.False(body.ContainsKey("stream"));
    }

    [Fact]
    public void Translate_MaxCompletionTokens_WinsOverMaxTokens()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":50,"max_completion_tokens":70}""");

        Assert.Equal(70, (int)body["max_tokens"]!);
    }

    [Fact]
    public void Translate_SystemAndDeveloper_BecomeSystemBlocksWithCacheControl()
    {
        var body = Ok("""
            {"messages":[
              {"role":"system","content":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}}]},
              {"role":"developer","content":"Use metric units."},
              {"role":"user","content":"Hi"}]}
            """);

        var expected = JsonNode.Parse("""
            [{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"Use metric units."}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["system"]));
        Assert.Single(body["messages"]!.AsArray());
    }

    [Fact]
    public void Translate_ConsecutiveSameRole_Merged()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"assistant","content":"c"},{"role":"assistant","content":"d"},{"role":"user","content":"e"}]}""");

        var expected = JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
             {"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]},
             {"role":"user","content":[{"type":"text","text":"e"}]}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]), body["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_EmptyUserAndAssistantTurns_LeftOutThenNeighboursMerged()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":""},{"role":"user","content":"b"}]}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]"""), body["messages"]), body["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ImageParts_Base64AndUrlSources()
    {
        var body = Ok("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"},"cache_control":{"type":"ephemeral"}}]}]}
            """);

        var expected = JsonNode.Parse("""
            [{"type":"text","text":"What is this?"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
             {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"},"cache_control":{"type":"ephemeral"}}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]![0]!["content"]), body.ToJsonString());
    }

    [Fact]
    public void Translate_PdfFilePart_BecomesDocument()
    {
        var body = Ok("""{"messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]}""");

        var expected = JsonNode.Parse("""{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"a.pdf"}""");
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]![0]!["content"]![0]));
    }

    [Fact]
    public void Translate_FileId_IsAnErrorNamingThePart()
    {
        var result = AnthropicRequestTranslator.Translate("""{"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}}]}]}"""u8, Options);

        Assert.False(result.IsSuccess);
        Assert.Equal("messages[0].content[0].file", result.Error!.Param);
    }

    [Fact]
    public void Translate_Tools_FunctionsToInputSchema()
    {
        var body = Ok("""
            {"messages":[{"role":"user","content":"Weather?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                      {"type":"function","function":{"name":"now"}}]}
            """);

        var expected = JsonNode.Parse("""
            [{"name":"get_weather","description":"Weather by city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
             {"name":"now","input_schema":{"type":"object","properties":{}}}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["tools"]), body["tools"]!.ToJsonString());
        Assert.False(body.ContainsKey("tool_choice"));
    }

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("""{"type":"function","function":{"name":"now"}}""", """{"type":"tool","name":"now"}""")]
    public void Translate_ToolChoice_MapsEachForm(string choice, string expected)
    {
        var body = Ok($$$"""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"now"}}],"tool_choice":{{{choice}}}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body["tool_choice"]), body["tool_choice"]?.ToJsonString());
    }

    [Fact]
    public void Translate_ForcedToolChoiceWithThinking_AutoAndNamed()
    {
        var result = AnthropicRequestTranslator.Translate("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"now"}}],"tool_choice":"required","reasoning_effort":"low"}"""u8, Options);
        var body = Parse(result);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"auto"}"""), body["tool_choice"]));
        Assert.Contains("tool_choice", result.UnsupportedParameters);
    }

    [Fact]
    public void Translate_ParallelToolCallsFalse_DisablesParallelUse()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"now"}}],"parallel_tool_calls":false}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"auto","disable_parallel_tool_use":true}"""), body["tool_choice"]));
    }

    [Fact]
    public void Translate_ToolCallsAndResults_BecomeToolUseAndMergedToolResults()
    {
        var body = Ok("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
              {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"24C"}]},
              {"role":"user","content":"Thanks"}]}
            """);

        var expected = JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
             {"role":"assistant","content":[
               {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
               {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},
             {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18C"}]},
               {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"24C"}]},
               {"type":"text","text":"Thanks"}]}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]), body["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolResultAfterUserText_ResultPlacedFirstInMergedTurn()
    {
        var body = Ok("""
            {"messages":[
              {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"user","content":"(meanwhile)"},
              {"role":"tool","tool_call_id":"t1","content":"ok"}]}
            """);

        var content = body["messages"]![1]!["content"]!.AsArray();
        Assert.Equal("tool_result", (string?)content[0]!["type"]);
        Assert.Equal("text", (string?)content[1]!["type"]);
    }

    [Fact]
    public void Translate_ResponseFormatWithClientTools_SchemaToolAddedChoiceLeftToClient()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"now"}}],"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}}}""");

        Assert.Equal(["now", "json_response"], body["tools"]!.AsArray().Select(static t => (string?)t!["name"]));
        Assert.False(body.ContainsKey("tool_choice"));
    }

    [Fact]
    public void Translate_InvalidToolArguments_IsAnError()
    {
        var result = AnthropicRequestTranslator.Translate("""{"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}"""u8, Options);

        Assert.Equal("messages[0].tool_calls[0].function.arguments", result.Error?.Param);
    }

    [Fact]
    public void Translate_Stop_StringAndArrayToStopSequences()
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["END"]"""), Ok("""{"messages":[{"role":"user","content":"x"}],"stop":"END"}""")["stop_sequences"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["a","b"]"""), Ok("""{"messages":[{"role":"user","content":"x"}],"stop":["a","b"]}""")["stop_sequences"]));
    }

    [Fact]
    public void Translate_SamplingStreamAndUser_Carried()
    {
        var result = AnthropicRequestTranslator.Translate("""{"messages":[{"role":"user","content":"x"}],"temperature":1.5,"top_p":0.9,"stream":true,"stream_options":{"include_usage":true},"user":"u-42"}"""u8, Options);
        var body = Parse(result);

        // OpenAI allows up to 2; Anthropic's ceiling is 1.
        Assert.Equal(1.0, (double)body["temperature"]!);
        Assert.Equal(0.9, (double)body["top_p"]!);
        Assert.True((bool)body["stream"]!);
        Assert.Equal("u-42", (string?)body["metadata"]!["user_id"]);
        Assert.True(result.Stream);
        Assert.True(result.IncludeUsage);
        Assert.Empty(result.UnsupportedParameters);
    }

    [Theory]
    [InlineData("low", 1024)]
    [InlineData("medium", 4096)]
    [InlineData("high", 16384)]
    public void Translate_ReasoningEffort_EnablesThinkingAndRaisesMaxTokens(string effort, int budget)
    {
        var result = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes($$"""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"{{effort}}","max_tokens":1000,"temperature":0.2}"""), Options);
        var body = Parse(result);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"type":"enabled","budget_tokens":{{budget}}}"""), body["thinking"]));
        // the budget plus the client's 1000 for the visible answer
        Assert.Equal(budget + 1000, (int)body["max_tokens"]!);
        // Anthropic rejects temperature with thinking: dropped and named.
        Assert.False(body.ContainsKey("temperature"));
        Assert.Contains("temperature", result.UnsupportedParameters);
    }

    [Fact]
    public void Translate_ReasoningEffortWithLargeMax_KeepsClientMax()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"low","max_tokens":20000}""");

        Assert.Equal(20000, (int)body["max_tokens"]!);
    }

    [Fact]
    public void Translate_ThinkingBlocksOnAssistant_RestoredFirstWithSignature()
    {
        var body = Ok("""
            {"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":"Let me check.","reasoning_content":"Need the tool.",
               "thinking_blocks":[{"type":"thinking","thinking":"Need the tool.","signature":"sig-abc"},{"type":"redacted_thinking","data":"xyz"}],
               "tool_calls":[{"id":"toolu_9","type":"function","function":{"name":"w","arguments":""}}]},
              {"role":"tool","tool_call_id":"toolu_9","content":"sunny"}],
             "reasoning_effort":"medium"}
            """);

        var expected = JsonNode.Parse("""
            [{"type":"thinking","thinking":"Need the tool.","signature":"sig-abc"},
             {"type":"redacted_thinking","data":"xyz"},
             {"type":"text","text":"Let me check."},
             {"type":"tool_use","id":"toolu_9","name":"w","input":{}}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]![1]!["content"]), body["messages"]![1]!.ToJsonString());
    }

    [Fact]
    public void Translate_ResponseFormatJsonSchema_ForcedTool()
    {
        var result = AnthropicRequestTranslator.Translate("""
            {"messages":[{"role":"user","content":"x"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}}}
            """u8, Options);
        var body = Parse(result);

        Assert.Equal(AnthropicRequestTranslator.DefaultJsonToolName, result.JsonToolName);
        Assert.Equal(AnthropicRequestTranslator.DefaultJsonToolName, (string?)body["tools"]![0]!["name"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}"""), body["tools"]![0]!["input_schema"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"tool","name":"json_response"}"""), body["tool_choice"]));
    }

    [Fact]
    public void Translate_ResponseFormatWithThinking_ToolChoiceNotForced()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"low","response_format":{"type":"json_object"}}""");

        Assert.Single(body["tools"]!.AsArray());
        Assert.False(body.ContainsKey("tool_choice"));
    }

    [Fact]
    public void Translate_UnsupportedParameters_NamedAndLeftOut()
    {
        var result = AnthropicRequestTranslator.Translate("""{"messages":[{"role":"user","content":"x"}],"n":2,"logprobs":true,"presence_penalty":0.5,"frequency_penalty":0,"seed":7,"logit_bias":{"1":2}}"""u8, Options);
        var body = Parse(result);

        Assert.Equal(["n", "logprobs", "presence_penalty", "seed", "logit_bias"], result.UnsupportedParameters);
        Assert.False(body.ContainsKey("n"));
        Assert.False(body.ContainsKey("seed"));
    }

    [Fact]
    public void Translate_MessageCacheControlOnStringContent_PassedToBlock()
    {
        var body = Ok("""{"messages":[{"role":"user","content":"long doc","cache_control":{"type":"ephemeral"}}]}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"ephemeral"}"""), body["messages"]![0]!["content"]![0]!["cache_control"]));
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"wizard","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search"}]}""", "tools[0]")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"extreme"}""", "reasoning_effort")]
    public void Translate_BadInput_ErrorNamesParameter(string json, string param)
    {
        var result = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), Options);

        Assert.False(result.IsSuccess);
        Assert.Null(result.Body);
        Assert.Equal(param, result.Error!.Param);
    }

    private static JsonObject Ok(string json) => Parse(AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), Options));

    private static JsonObject Parse(AnthropicTranslateResult result)
    {
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return JsonNode.Parse(result.Body!)!.AsObject();
    }
}
