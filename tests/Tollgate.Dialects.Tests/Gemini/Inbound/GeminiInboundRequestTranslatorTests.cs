using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini.Inbound;

namespace Tollgate.Dialects.Tests.Gemini.Inbound;

public sealed class GeminiInboundRequestTranslatorTests
{
    [Fact]
    public void Translate_ConversationWithFunctionRoundTrip_OpenAIMessagesInOrder()
    {
        var body = Ok("""
            {"systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Be kind."}]},
             "contents":[
               {"role":"user","parts":[{"text":"Weather?"},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]},
               {"role":"model","parts":[{"text":"Thinking it over","thought":true},{"text":"Checking."},
                 {"functionCall":{"name":"weather","args":{"city":"Oslo"}}},{"functionCall":{"id":"fc_9","name":"time","args":{}}}]},
               {"role":"user","parts":[{"functionResponse":{"id":"fc_9","name":"time","response":{"now":"noon"}}},
                 {"functionResponse":{"name":"weather","response":{"result":"cold"}}},{"text":"And tomorrow?"}]}]}
            """);

        var expected = JsonNode.Parse("""
            [{"role":"system","content":"Be brief.\nBe kind."},
             {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
             {"role":"assistant","content":"Checking.","tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}},
               {"id":"fc_9","type":"function","function":{"name":"time","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"fc_9","content":"{\"now\":\"noon\"}"},
             {"role":"tool","tool_call_id":"call_1","content":"{\"result\":\"cold\"}"},
             {"role":"user","content":"And tomorrow?"}]
            """);
        Assert.Equal("gpt-4.1", (string?)body["model"]);
        Assert.True(JsonNode.DeepEquals(expected, body["messages"]), body["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_SignedThoughtParts_AreThinkingBlocksAgain()
    {
        // A streamed turn as the SDK keeps it: the thought text in pieces, the signature on a last empty part.
        var body = Ok("""
            {"contents":[{"role":"user","parts":[{"text":"Weather?"}]},
              {"role":"model","parts":[{"text":"Consider","thought":true},{"text":"ing.","thought":true},{"text":"","thought":true,"thoughtSignature":"sig1"},
                {"text":"","thought":true,"thoughtSignature":"redacted:opaque"},{"functionCall":{"id":"toolu_1","name":"weather","args":{}}}]}]}
            """);

        var assistant = body["messages"]![1]!;
        Assert.Equal("Considering.", (string?)assistant["reasoning_content"]);
        var expected = JsonNode.Parse("""
            [{"type":"thinking","thinking":"Considering.","signature":"sig1"},{"type":"redacted_thinking","data":"opaque"}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, assistant["thinking_blocks"]), assistant.ToJsonString());
    }

    [Fact]
    public void Translate_ToolsToolConfigAndGenerationConfig_Mapped()
    {
        var body = Ok("""
            {"contents":[{"parts":[{"text":"hi"}]}],
             "tools":[{"functionDeclarations":[{"name":"weather","description":"Weather for a city",
               "parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"},"type":{"type":"STRING"}},"required":["city"],"propertyOrdering":["city","type"]}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["weather"]}},
             "generationConfig":{"temperature":0.2,"topP":0.9,"maxOutputTokens":300,"stopSequences":["END"],"seed":7,
               "responseMimeType":"application/json","responseJsonSchema":{"type":"object","properties":{"a":{"type":"string"}}},
               "thinkingConfig":{"thinkingBudget":4096,"includeThoughts":true}}}
            """);

        var tools = JsonNode.Parse("""
            [{"type":"function","function":{"name":"weather","description":"Weather for a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"},"type":{"type":"string"}},"required":["city"]}}}]
            """);
        Assert.True(JsonNode.DeepEquals(tools, body["tools"]), body["tools"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"function","function":{"name":"weather"}}"""), body["tool_choice"]));
        Assert.Equal(0.2, (double)body["temperature"]!);
        Assert.Equal(0.9, (double)body["top_p"]!);
        Assert.Equal(300, (int)body["max_tokens"]!);
        Assert.Equal(7, (int)body["seed"]!);
        Assert.Equal("END", (string?)body["stop"]![0]);
        Assert.Equal("medium", (string?)body["reasoning_effort"]);
        Assert.Equal("json_schema", (string?)body["response_format"]!["type"]);
        Assert.Equal("string", (string?)body["response_format"]!["json_schema"]!["schema"]!["properties"]!["a"]!["type"]);
    }

    [Theory]
    [InlineData("AUTO", "\"auto\"")]
    [InlineData("NONE", "\"none\"")]
    [InlineData("ANY", "\"required\"")]
    public void Translate_FunctionCallingModes_AreToolChoices(string mode, string expected)
    {
        var body = Ok("""{"contents":[{"parts":[{"text":"hi"}]}],"toolConfig":{"functionCallingConfig":{"mode":""" + "\"" + mode + "\"}}}");
        Assert.Equal(expected, body["tool_choice"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"thinkingLevel":"HIGH"}""", "high")]
    [InlineData("""{"thinkingBudget":512}""", "low")]
    [InlineData("""{"thinkingBudget":20000}""", "high")]
    [InlineData("""{"thinkingBudget":-1}""", "medium")]
    [InlineData("""{"thinkingBudget":0}""", null)]
    public void Translate_ThinkingConfig_IsAReasoningEffort(string thinking, string? effort)
    {
        var body = Ok("""{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"thinkingConfig":""" + thinking + "}}");
        Assert.Equal(effort, (string?)body["reasoning_effort"]);
    }

    [Fact]
    public void Translate_Stream_AsksForTheUsageChunk()
    {
        var result = GeminiInboundRequestTranslator.Translate("""{"contents":[{"parts":[{"text":"hi"}]}]}"""u8, "m", stream: true);
        var body = JsonNode.Parse(result.Body)!;
        Assert.True((bool)body["stream"]!);
        Assert.True((bool)body["stream_options"]!["include_usage"]!);
    }

    [Fact]
    public void Translate_WhatOtherProvidersCannotExpress_IsNamed()
    {
        var result = GeminiInboundRequestTranslator.Translate("""
            {"contents":[{"parts":[{"text":"hi"}]}],"safetySettings":[],"tools":[{"googleSearch":{}}],"generationConfig":{"topK":3}}
            """u8, "m", stream: false);
        Assert.True(result.IsSuccess);
        Assert.Equal(["safetySettings", "tools.googleSearch", "generationConfig.topK"], result.UnsupportedParameters);
    }

    [Theory]
    [InlineData("""{"contents":[]}""", "contents")]
    [InlineData("""{"systemInstruction":{"parts":[{"text":"x"}]}}""", "contents")]
    [InlineData("""{"contents":[{"parts":[{"inlineData":{"mimeType":"audio/wav","data":"AAAA"}}]}]}""", "contents")]
    [InlineData("""{"contents":[{"parts":[{"text":5}]}]}""", null)]
    [InlineData("""[1]""", null)]
    public void Translate_InvalidRequests_AreRefusedWithAReason(string json, string? param)
    {
        var result = GeminiInboundRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), "m", stream: false);
        Assert.False(result.IsSuccess);
        Assert.NotNull(result.Error);
        Assert.Equal(param, result.ErrorParam);
    }

    [Fact]
    public void TranslateCountTokens_WrappedRequest_IsWhatIsCounted()
    {
        var result = GeminiInboundRequestTranslator.TranslateCountTokens("""
            {"generateContentRequest":{"model":"models/x","contents":[{"parts":[{"text":"count this"}]}],"systemInstruction":{"parts":[{"text":"sys"}]}}}
            """u8, "m");
        var messages = JsonNode.Parse(result.Body)!["messages"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("count this", (string?)messages[1]!["content"]);
    }

    private static JsonNode Ok(string json)
    {
        var result = GeminiInboundRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), "gpt-4.1", stream: false);
        Assert.True(result.IsSuccess, result.Error);
        return JsonNode.Parse(result.Body)!;
    }
}
