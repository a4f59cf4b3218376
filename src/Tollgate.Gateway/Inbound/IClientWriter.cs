using System.Buffers;
using System.IO.Pipelines;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Writes an OpenAI-shaped answer (the shape every translation goes through) in the client's own dialect: a whole
/// response, an error, or a stream chunk by chunk. One instance per attempt; it may hold stream state.
/// </summary>
internal interface IClientWriter
{
    /// <summary>
    /// True when <see cref="End"/> with <c>completed: false</c> writes an error event the client's SDK raises, so the
    /// response may end normally after it; false when only an aborted connection tells the client (OpenAI's format has
    /// no error event, and a clean end would look like a whole answer).
    /// </summary>
    bool SignalsBreakInBand { get; }

    /// <summary>The content type of the client's stream (Gemini's streams without <c>alt=sse</c> are one JSON array).</summary>
    string StreamContentType => "text/event-stream";

    /// <summary>Writes a whole OpenAI <c>chat.completion</c> as the client's response; false when it cannot be translated.</summary>
    bool TryWriteResponse(byte[] openAIResponse, IBufferWriter<byte> client);

    /// <summary>An OpenAI-shaped error in the client's shape.</summary>
    ClientError TranslateError(ClientError openAIError);

    /// <summary>Writes one OpenAI <c>chat.completion.chunk</c> payload.</summary>
    void WriteChunk(byte[] chunk, PipeWriter output);

    /// <summary>Closes the stream; <paramref name="completed"/> is false when the upstream broke off.</summary>
    void End(PipeWriter output, bool completed);
}
