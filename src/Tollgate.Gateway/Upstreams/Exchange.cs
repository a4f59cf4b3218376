using System.Buffers;
using System.IO.Pipelines;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// One attempt of a request on one deployment, built by the client's inbound dialect for the deployment's outbound
/// dialect: it makes the upstream HTTP request and turns what comes back (a body, stream events, an error) into the
/// client's own shapes, with <c>cost</c> added where usage appears. A passthrough (same dialect both sides) rewrites
/// only what must change; a translated exchange goes through the OpenAI chat shape in between. One instance per
/// attempt; it holds the stream's translation state. It never touches <c>HttpContext</c>.
/// </summary>
internal abstract class Exchange(Route route, bool stream) : IDisposable
{
    private const int MaxRetainedBytes = 4 * 1024 * 1024;
    private PooledBufferWriter? _retained;

    /// <summary>The deployment this attempt goes to.</summary>
    public Route Route { get; } = route;

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; } = stream;

    /// <summary>Parameters the upstream cannot express that were left out (named in <c>x-tollgate-dropped-params</c>).</summary>
    public virtual IReadOnlyList<string> DroppedParameters => [];

    /// <summary>Usage the upstream reported so far; final once the response or stream has ended. Null when none.</summary>
    public abstract TokenUsage? Usage { get; }

    /// <summary>For streams: whether the upstream reached its proper end.</summary>
    public abstract bool Completed { get; }

    /// <summary>For streams: whether the upstream sent an error event mid-stream (already passed on to the client).</summary>
    public virtual bool StreamFailed => false;

    /// <summary>
    /// True when <see cref="WriteEnd"/> with <c>completed: false</c> writes an error event the client's SDK raises, so
    /// the response may end normally after it; false when only an aborted connection can tell the client.
    /// </summary>
    public abstract bool SignalsBreakInBand { get; }

    /// <summary>The content type of the client's stream (Gemini's streams without <c>alt=sse</c> are one JSON array).</summary>
    public virtual string StreamContentType => "text/event-stream";

    /// <summary>What the call used that is not tokens (images, characters, seconds), once the response is read; null when none.</summary>
    public virtual UnitUsage? Units => null;

    /// <summary>A fault of the client's request found while sending it (an upload past the body limit): what the client gets instead of the send failure.</summary>
    public virtual Errors.ApiError? RequestError => null;

    /// <summary>Whether <see cref="Units"/> is an estimate (a transcription whose response gave no duration).</summary>
    protected virtual bool UnitsEstimated => false;

    /// <summary>The media type of the client's response written by <see cref="TryWriteResponse"/> (audio for speech).</summary>
    public virtual string ContentType => "application/json";

    /// <summary>The upstream HTTP request, with the provider's credential.</summary>
    public abstract HttpRequestMessage CreateRequest();

    /// <summary>A whole upstream response written as the client's response; false when it cannot be read.</summary>
    public abstract bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client);

    /// <summary>An upstream error (already scrubbed of the provider's key) in the client's error shape.</summary>
    public abstract ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody);

    /// <summary>One upstream SSE event (its raw bytes and its <c>data</c>); true when something was written to the client.</summary>
    public abstract bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client);

    /// <summary>Closes the client's stream: a proper end, or (<paramref name="completed"/> false) a break the client must see.</summary>
    public abstract void WriteEnd(PipeWriter client, bool completed);

    /// <summary>The request JSON whose strings are the prompt, for an estimate when the upstream reports no usage.</summary>
    public abstract ReadOnlyMemory<byte> Prompt { get; }

    /// <summary>Usage as reported, else an estimate from the prompt and the output retained so far.</summary>
    public (TokenUsage Usage, bool Estimated)? FinalUsage(bool any)
    {
        if (Usage is { } usage)
        {
            return (usage, UnitsEstimated);
        }

        if (!any)
        {
            return null;
        }

        var completion = _retained is null ? 0 : TokenEstimator.CountCompletion(SplitLines(_retained.WrittenMemory));
        return (TokenEstimator.Estimate(TokenEstimator.CountPrompt(Prompt.Span), completion), true);
    }

    public void Dispose()
    {
        _retained?.Dispose();
        _retained = null;
        Release();
    }

    /// <summary>Returns pooled buffers the exchange holds.</summary>
    protected virtual void Release()
    {
    }

    /// <summary>Keeps an OpenAI-shaped payload (a chunk or a whole response) for the estimate.</summary>
    protected void Retain(ReadOnlySpan<byte> payload)
    {
        _retained ??= new PooledBufferWriter(4096);
        if (_retained.Count + payload.Length < MaxRetainedBytes)
        {
            _retained.Write(payload);
            _retained.Write("\n"u8);
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> memory)
    {
        while (!memory.IsEmpty)
        {
            var i = memory.Span.IndexOf((byte)'\n');
            if (i < 0)
            {
                yield return memory;
                yield break;
            }

            yield return memory[..i];
            memory = memory[(i + 1)..];
        }
    }
}
