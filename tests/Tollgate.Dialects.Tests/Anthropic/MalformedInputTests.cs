using System.Text;
using Tollgate.Dialects.Anthropic;
using Tollgate.Dialects.Anthropic.Inbound;

namespace Tollgate.Dialects.Tests.Anthropic;

/// <summary>Valid JSON of the wrong shape is a client or upstream mistake, answered as a value, never thrown.</summary>
public sealed class MalformedInputTests
{
    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":5}]}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stream_options":"yes"}""")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":1,"type":"function","function":{"name":"f"}}]}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":"s"}}""")]
    public void AnthropicRequestTranslator_WrongTypes_ErrorNotException(string json)
    {
        var result = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), new AnthropicTranslateOptions { Model = "m" });

        Assert.False(result.IsSuccess);
        Assert.NotNull(result.Error);
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":7}]}]}""")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"metadata":"u"}""")]
    public void AnthropicInboundRequestTranslator_WrongTypes_ErrorNotException(string json)
    {
        var result = AnthropicInboundRequestTranslator.Translate(Encoding.UTF8.GetBytes(json), null);

        Assert.False(result.IsSuccess);
    }

    [Theory]
    [InlineData("""{"id":"m","content":[{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_details":5,"stop_reason":"refusal"}""")]
    [InlineData("""{"id":"m","content":[],"usage":[1,2]}""")]
    [InlineData("""[1,2]""")]
    public void AnthropicResponseTranslator_WrongShape_FalseOrTranslated(string json)
    {
        // Either translated (wrong-typed optional parts ignored) or refused; never thrown.
        var ok = AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), new AnthropicResponseOptions(), out var result);

        Assert.Equal(ok, result is not null);
    }

    [Fact]
    public void InboundResponseTranslator_ChoiceNotAnObject_False()
    {
        Assert.False(AnthropicInboundResponseTranslator.TryTranslate("""{"choices":[5]}"""u8, null, null, out _));
    }

    [Fact]
    public void StreamTranslators_WrongShapedEvents_Skipped()
    {
        var toOpenAI = new AnthropicStreamTranslator(new AnthropicResponseOptions());
        var chunks = new List<byte[]>();
        toOpenAI.Translate(null, """{"type":"content_block_start","index":"zero","content_block":{"type":"text"}}"""u8, chunks);
        toOpenAI.Translate(null, """{"type":"message_start","message":"hi"}"""u8, chunks);
        toOpenAI.Translate(null, "[1]"u8, chunks);
        toOpenAI.Translate(null, "not json"u8, chunks);

        var toAnthropic = new AnthropicInboundStreamTranslator(null, null);
        var events = new List<AnthropicSseEvent>();
        toAnthropic.Translate("""{"id":"c","choices":[{"delta":{"tool_calls":[{"index":"a"}]}}]}"""u8, events);

        Assert.Empty(chunks);
        Assert.Equal("message_start", Assert.Single(events).EventType);
    }
}
