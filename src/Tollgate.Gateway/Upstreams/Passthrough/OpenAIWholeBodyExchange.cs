using System.IO.Pipelines;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A passthrough to an OpenAI-compatible deployment whose answer is one whole body, never a stream (images, audio,
/// moderations): OpenAI's errors as they come, what the answer used as its meter read it.
/// </summary>
internal abstract class OpenAIWholeBodyExchange(Route route) : Exchange(route, stream: false)
{
    /// <summary>What the answer used, once it is read.</summary>
    protected ModalityUsage Used { get; set; }

    /// <summary>Whether the answer has been read.</summary>
    protected bool Read { get; set; }

    public override TokenUsage? Usage => Used.Tokens;

    public override UnitUsage? Units => Used.Units;

    protected override bool UnitsEstimated => Used.Estimated;

    public override bool Completed => Read;

    public override bool SignalsBreakInBand => false;

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody) =>
        OpenAIPassthroughExchange.OpenAIError(Route, status, upstreamBody);

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client) => false;

    public override void WriteEnd(PipeWriter client, bool completed)
    {
    }
}
