using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiRequestTranslatorTests
{
    private static GeminiRequestTranslation Run(string json, GeminiTranslateOptions? options = null) =>
        GeminiRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), options);

    private static JsonNode Body(string json, GeminiTranslateOptions? options = null)
    {
        var result = Run(json, options);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return JsonNode.Parse(result.Body!)!;
    }

    [Fact]
    public void Translate_SystemAndDeveloper_SystemInstructionAndRoles()
    {
        var body = Body("""
            {"model":"gemini-2.5-flash","stream":true,"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"developer","content":[{"type":"text","text":"Use metric."}]},
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":"Hello!"},
              {"role":"user","content":"Weather?"}]}
            """);

        var system = body["systemInstruction"]!["parts"]!.AsArray();
        Assert.Equal(["Be brief.", "Use metric."], system.Select(p => p!["text"]!.GetValue<string>()));
        var contents = body["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal("Hello!", contents[1]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Null(body["model"]);
        Assert.Null(body["stream"]);
    }

    [Fact]
    public void Translate_StreamAndModel_ReportedOutsideBody()
    {
        var result = Run("""{"model":"gemini-2.5-pro","stream":true,"messages":[{"role":"user","content":"x"}]}""");

        Assert.True(result.Stream);
        Assert.Equal("gemini-2.5-pro", result.Model);
        Assert.Empty(result.UnsupportedParameters);
    }

    [Fact]
    public void Translate_ConsecutiveSameRole_Merged()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},
              {"role":"assistant","content":"c"},{"role":"assistant","content":"d"}]}
            """);

        var contents = body["contents"]!.AsArray();
        Assert.Equal(2, contents.Count);
        Assert.Equal(["a", "b"], contents[0]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal(["c", "d"], contents[1]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
    }

    [Fact]
    public void Translate_ContentParts_InlineAndFileData()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"Look"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.webp","detail":"high"}},
              {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"mp3"}},
              {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}},
              {"type":"file","file":{"file_id":"https://generativelanguage.googleapis.com/v1beta/files/abc"}}]}]}
            """);

        var parts = body["contents"]![0]!["parts"]!.AsArray();
        Assert.Equal("Look", parts[0]!["text"]!.GetValue<string>());
        Assert.Equal("image/png", parts[1]!["inlineData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal("iVBORw0KGgo=", parts[1]!["inlineData"]!["data"]!.GetValue<string>());
        Assert.Equal("image/webp", parts[2]!["fileData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal("https://example.com/cat.webp", parts[2]!["fileData"]!["fileUri"]!.GetValue<string>());
        Assert.Equal("audio/mp3", parts[3]!["inlineData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal("application/pdf", parts[4]!["inlineData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal("JVBERi0=", parts[4]!["inlineData"]!["data"]!.GetValue<string>());
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/files/abc", parts[5]!["fileData"]!["fileUri"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_UnknownPartType_ErrorNamesPart()
    {
        var result = Run("""{"messages":[{"role":"user","content":[{"type":"video","video":{}}]}]}""");

        Assert.False(result.IsSuccess);
        Assert.Equal("messages[0].content[0].type", result.Error!.Param);
    }

    [Fact]
    public void Translate_ToolsAndToolResults_FunctionCallsAndResponsesInUserTurn()
    {
        var body = Body("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and time?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"time","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_1","content":"{\"temp\":21}"},
              {"role":"tool","tool_call_id":"call_2","content":"noon"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"Get weather","strict":true,
               "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
                 "properties":{"city":{"type":"string","description":"City"},"unit":{"type":["string","null"],"enum":["c","f"]}},
                 "required":["city","unit","ghost"]}}},
               {"type":"function","function":{"name":"time","parameters":{"type":"object","properties":{}}}}]}
            """);

        var contents = body["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        var calls = contents[1]!["parts"]!.AsArray();
        Assert.Equal("weather", calls[0]!["functionCall"]!["name"]!.GetValue<string>());
        Assert.Equal("Paris", calls[0]!["functionCall"]!["args"]!["city"]!.GetValue<string>());
        Assert.Empty(calls[1]!["functionCall"]!["args"]!.AsObject());
        var responses = contents[2]!["parts"]!.AsArray();
        Assert.Equal(2, responses.Count);
        Assert.Equal("weather", responses[0]!["functionResponse"]!["name"]!.GetValue<string>());
        Assert.Equal(21, responses[0]!["functionResponse"]!["response"]!["temp"]!.GetValue<int>());
        Assert.Equal("time", responses[1]!["functionResponse"]!["name"]!.GetValue<string>());
        Assert.Equal("noon", responses[1]!["functionResponse"]!["response"]!["result"]!.GetValue<string>());

        var decls = body["tools"]![0]!["functionDeclarations"]!.AsArray();
        var weather = decls[0]!;
        Assert.Equal("Get weather", weather["description"]!.GetValue<string>());
        var parameters = weather["parameters"]!;
        Assert.Null(parameters["$schema"]);
        Assert.Null(parameters["additionalProperties"]);
        Assert.Equal("object", parameters["type"]!.GetValue<string>());
        Assert.Equal("string", parameters["properties"]!["unit"]!["type"]!.GetValue<string>());
        Assert.True(parameters["properties"]!["unit"]!["nullable"]!.GetValue<bool>());
        Assert.Equal(["city", "unit"], parameters["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Null(decls[1]!["parameters"]);
    }

    [Fact]
    public void Translate_UseJsonSchema_ParametersJsonSchemaUnchanged()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"x"}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"}}}}}],
             "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","additionalProperties":false,"properties":{"b":{"type":"integer"}}}}}}
            """, new GeminiTranslateOptions { UseJsonSchema = true });

        Assert.False(body["tools"]![0]!["functionDeclarations"]![0]!["parametersJsonSchema"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Null(body["tools"]![0]!["functionDeclarations"]![0]!["parameters"]);
        Assert.False(body["generationConfig"]!["responseJsonSchema"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("application/json", body["generationConfig"]!["responseMimeType"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_SchemaRefsConstAndOneOf_Inlined()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"x"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"r","strict":true,"schema":{
               "type":"object","$defs":{"Pet":{"type":"object","properties":{"kind":{"const":"cat"}}}},
               "properties":{"pet":{"$ref":"#/$defs/Pet"},"v":{"oneOf":[{"type":"string"},{"type":"number"}]}}}}}}
            """);

        var schema = body["generationConfig"]!["responseSchema"]!;
        Assert.Null(schema["$defs"]);
        Assert.Equal("object", schema["properties"]!["pet"]!["type"]!.GetValue<string>());
        Assert.Equal("cat", schema["properties"]!["pet"]!["properties"]!["kind"]!["enum"]![0]!.GetValue<string>());
        Assert.Equal(2, schema["properties"]!["v"]!["anyOf"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("\"auto\"", "AUTO", null)]
    [InlineData("\"none\"", "NONE", null)]
    [InlineData("\"required\"", "ANY", null)]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}", "ANY", "weather")]
    public void Translate_ToolChoice_FunctionCallingConfig(string choice, string mode, string? allowed)
    {
        var body = Body($$$"""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"weather"}}],"tool_choice":{{{choice}}}}""");

        var config = body["toolConfig"]!["functionCallingConfig"]!;
        Assert.Equal(mode, config["mode"]!.GetValue<string>());
        Assert.Equal(allowed, config["allowedFunctionNames"]?[0]?.GetValue<string>());
    }

    [Fact]
    public void Translate_GenerationParameters_GenerationConfig()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"x"}],"temperature":0.3,"top_p":0.9,"max_tokens":100,
             "max_completion_tokens":200,"stop":["END","STOP"],"n":2,"seed":7,"presence_penalty":0.5,"frequency_penalty":0.25,
             "response_format":{"type":"json_object"}}
            """);

        var g = body["generationConfig"]!;
        Assert.Equal(0.3, g["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, g["topP"]!.GetValue<double>());
        Assert.Equal(200, g["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal(["END", "STOP"], g["stopSequences"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(2, g["candidateCount"]!.GetValue<int>());
        Assert.Equal(7, g["seed"]!.GetValue<int>());
        Assert.Equal(0.5, g["presencePenalty"]!.GetValue<double>());
        Assert.Equal(0.25, g["frequencyPenalty"]!.GetValue<double>());
        Assert.Equal("application/json", g["responseMimeType"]!.GetValue<string>());
        Assert.Null(g["responseSchema"]);
    }

    [Fact]
    public void Translate_MaxTokensAndStopString_Mapped()
    {
        var g = Body("""{"messages":[{"role":"user","content":"x"}],"max_tokens":64,"stop":"END"}""")["generationConfig"]!;

        Assert.Equal(64, g["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal("END", g["stopSequences"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("none", 0, false)]
    [InlineData("minimal", 512, true)]
    [InlineData("low", 1024, true)]
    [InlineData("medium", 8192, true)]
    [InlineData("high", 24576, true)]
    public void Translate_ReasoningEffort_ThinkingConfig(string effort, int budget, bool includeThoughts)
    {
        var body = Body($$$"""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"{{{effort}}}"}""");

        var thinking = body["generationConfig"]!["thinkingConfig"]!;
        Assert.Equal(budget, thinking["thinkingBudget"]!.GetValue<int>());
        Assert.Equal(includeThoughts, thinking["includeThoughts"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public void Translate_UnknownReasoningEffort_Error()
    {
        Assert.Equal("reasoning_effort", Run("""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"max"}""").Error!.Param);
    }

    [Fact]
    public void Translate_UnsupportedParameters_ListedOrRejected()
    {
        const string json = """{"messages":[{"role":"user","content":"x"}],"logit_bias":{"1":2},"parallel_tool_calls":false,"user":"u1","service_tier":"flex"}""";

        var dropped = Run(json);
        var rejected = Run(json, new GeminiTranslateOptions { RejectUnsupported = true });

        Assert.True(dropped.IsSuccess);
        Assert.Equal(["logit_bias", "service_tier", "parallel_tool_calls"], dropped.UnsupportedParameters);
        Assert.False(rejected.IsSuccess);
        Assert.Equal("logit_bias", rejected.Error!.Param);
        Assert.Contains("logit_bias", rejected.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", null)]
    [InlineData("[]", null)]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"system","content":"only system"}]}""", "messages")]
    [InlineData("""{"messages":[{"role":"robot","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"nope","content":"r"}]}""", "messages[1].tool_call_id")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{bad"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search"}]}""", "tools[0]")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}]}""", "messages[0].content[0].image_url.url")]
    public void Translate_ClientMistakes_ErrorWithParam(string json, string? param)
    {
        var result = Run(json);

        Assert.False(result.IsSuccess);
        Assert.Null(result.Body);
        Assert.Equal(param, result.Error!.Param);
        Assert.False(string.IsNullOrEmpty(result.Error.Message));
    }

    [Fact]
    public void Translate_SignatureInExtraContentOrId_RestoredOnFunctionCall()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"x"},
              {"role":"assistant","tool_calls":[
                {"id":"plain","type":"function","function":{"name":"a","arguments":"{}"},"extra_content":{"google":{"thought_signature":"AAA+/w=="}}},
                {"id":"call_r_1__ts_QkJC-_8","type":"function","function":{"name":"b","arguments":"{}"}},
                {"id":"other","type":"function","function":{"name":"c","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"plain","content":"1"},
              {"role":"tool","tool_call_id":"call_r_1__ts_QkJC-_8","content":"2"},
              {"role":"tool","tool_call_id":"other","content":"3"}]}
            """);

        var parts = body["contents"]![1]!["parts"]!.AsArray();
        Assert.Equal("AAA+/w==", parts[0]!["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("QkJC+/8=", parts[1]!["thoughtSignature"]!.GetValue<string>());
        Assert.Null(parts[2]!["thoughtSignature"]);
        Assert.Equal(["a", "b", "c"], body["contents"]![2]!["parts"]!.AsArray().Select(p => p!["functionResponse"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Translate_TextSignatureOnMessage_OnLastTextPart()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"x"},
              {"role":"assistant","content":"answer","extra_content":{"google":{"thought_signature":"c2ln"}}},
              {"role":"user","content":"more"}]}
            """);

        Assert.Equal("c2ln", body["contents"]![1]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
    }

    [Fact]
    public void RoundTrip_ToolCallRecording_SignatureBackOnFunctionCall()
    {
        var recorded = JsonNode.Parse(GeminiRecordings.Bytes("google-tool-call.json"))!;
        var recordedPart = recorded["candidates"]![0]!["content"]!["parts"]![0]!;
        var response = JsonNode.Parse(GeminiResponseTranslator.Translate(GeminiRecordings.Bytes("google-tool-call.json")).Body)!;
        var assistant = response["choices"]![0]!["message"]!;
        var callId = assistant["tool_calls"]![0]!["id"]!.GetValue<string>();

        // A client that keeps the whole message, and one that keeps only the standard fields (no extra_content).
        var stripped = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = null,
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = callId,
                ["type"] = "function",
                ["function"] = assistant["tool_calls"]![0]!["function"]!.DeepClone(),
            }),
        };
        foreach (var message in new[] { assistant.DeepClone(), stripped })
        {
            var request = new JsonObject
            {
                ["model"] = "gemini-3-pro-preview",
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "user", ["content"] = "Weather in San Francisco?" },
                    message,
                    new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = "{\"temperature\":18}" }),
            };

            var body = Body(request.ToJsonString());

            var contents = body["contents"]!.AsArray();
            var modelPart = contents[1]!["parts"]![0]!;
            Assert.Equal("model", contents[1]!["role"]!.GetValue<string>());
            Assert.Equal(recordedPart["thoughtSignature"]!.GetValue<string>(), modelPart["thoughtSignature"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(recordedPart["functionCall"], modelPart["functionCall"]));
            Assert.Equal("weather", contents[2]!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>());
            Assert.Equal(18, contents[2]!["parts"]![0]!["functionResponse"]!["response"]!["temperature"]!.GetValue<int>());
        }
    }

    [Fact]
    public void RoundTrip_StreamedToolCall_SignatureBackOnFunctionCall()
    {
        var payloads = GeminiRecordings.Chunks("google-tool-call.chunks.txt");
        var signature = JsonNode.Parse(payloads[0])!["candidates"]![0]!["content"]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>();
        var translator = new GeminiStreamTranslator();
        var chunks = new List<byte[]>();
        foreach (var p in payloads)
        {
            translator.Translate(Encoding.UTF8.GetBytes(p), chunks);
        }

        var call = chunks.Select(c => JsonNode.Parse(c)!).Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?[0]).First(c => c is not null)!;
        var request = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Weather?" },
                new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = call["id"]!.GetValue<string>(), ["type"] = "function", ["function"] = call["function"]!.DeepClone() }) },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = call["id"]!.GetValue<string>(), ["content"] = "sunny" }),
        };

        var body = Body(request.ToJsonString());

        Assert.Equal(signature, body["contents"]![1]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("sunny", body["contents"]![2]!["parts"]![0]!["functionResponse"]!["response"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_EmptyTextParts_Skipped()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":""},{"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"hi"}]},
              {"role":"assistant","content":""},{"role":"user","content":"again"}]}
            """);

        var contents = body["contents"]!.AsArray();
        var only = Assert.Single(contents);
        Assert.Equal(["hi", "again"], only!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
    }
}
