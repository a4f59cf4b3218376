using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>Reads what a successful images, audio or moderation response used, on the deployment that sent it.</summary>
internal delegate ModalityUsage ModalityMeter(ReadOnlySpan<byte> upstreamBody, Route deployment);
