using System.Buffers;
using System.IO.Pipelines;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini.Inbound;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Gemini's shapes for <c>generateContent</c> clients: a <c>GenerateContentResponse</c>, Gemini's error object, and
/// a stream of partial responses (SSE or a JSON array, <see cref="GeminiStreamFraming"/>); a broken upstream ends in
/// an error object, which Google's SDKs raise.
/// </summary>
internal sealed class GeminiClientWriter(string clientModel, bool sse, Func<TokenUsage, decimal?> cost) : IClientWriter
{
    private readonly GeminiInboundStreamTranslator _stream = new(clientModel, cost);
    private readonly GeminiStreamFraming _framing = new(sse);
    private readonly List<byte[]> _responses = [];

    public bool SignalsBreakInBand => true;

    public string StreamContentType => _framing.ContentType;

    public bool TryWriteResponse(byte[] openAIResponse, IBufferWriter<byte> client)
    {
        if (GeminiInboundResponseTranslator.Translate(openAIResponse, clientModel, cost) is not { } body)
        {
            return false;
        }

        client.Write(body);
        return true;
    }

    public ClientError TranslateError(ClientError openAIError) =>
        new(openAIError.Status, GeminiInboundErrors.FromOpenAI(openAIError.Status, openAIError.Body), openAIError.RetryAfterSeconds);

    public void WriteChunk(byte[] chunk, PipeWriter output)
    {
        _responses.Clear();
        try
        {
            _stream.Translate(chunk, _responses);
        }
        catch (System.Text.Json.JsonException)
        {
            // A chunk the outbound made unreadable carries nothing to forward; the end still settles.
        }

        Flush(output);
    }

    public void End(PipeWriter output, bool completed)
    {
        _responses.Clear();
        if (completed)
        {
            _stream.Complete(_responses);
        }
        else if (!_stream.HasError)
        {
            // An upstream error was already passed on as one; otherwise say the stream broke off.
            _responses.Add(GeminiInboundErrors.Body(502, "The upstream provider's stream broke off."));
        }

        Flush(output);
        _framing.End(output);
    }

    private void Flush(PipeWriter output)
    {
        foreach (var response in _responses)
        {
            _framing.Write(output, response);
        }
    }
}
