using System.IO.Pipelines;

namespace Tollgate.Gateway.Translation;

/// <summary>Writes OpenAI chunk payloads to the client in the client's own stream format.</summary>
internal interface IChunkSink
{
    /// <summary>Writes one OpenAI <c>chat.completion.chunk</c> payload.</summary>
    void Write(byte[] chunk, PipeWriter output);

    /// <summary>Closes the stream; <paramref name="completed"/> is false when the upstream broke off.</summary>
    void End(PipeWriter output, bool completed);

    /// <summary>
    /// True when <see cref="End"/> with <c>completed: false</c> writes an error event the client's SDK raises, so the
    /// response may end normally after it; false when only an aborted connection tells the client (OpenAI's format has
    /// no error event, and a clean end would look like a whole answer). An abort can discard bytes still in flight.
    /// </summary>
    bool SignalsBreakInBand { get; }
}
