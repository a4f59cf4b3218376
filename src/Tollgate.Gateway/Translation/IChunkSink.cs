using System.IO.Pipelines;

namespace Tollgate.Gateway.Translation;

/// <summary>Writes OpenAI chunk payloads to the client in the client's own stream format.</summary>
internal interface IChunkSink
{
    /// <summary>Writes one OpenAI <c>chat.completion.chunk</c> payload.</summary>
    void Write(byte[] chunk, PipeWriter output);

    /// <summary>Closes the stream; <paramref name="completed"/> is false when the upstream broke off.</summary>
    void End(PipeWriter output, bool completed);
}
