using Tollgate.Core.Catalog;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>Reads the usage of an upload's answer for the ledger.</summary>
/// <param name="upstreamBody">The upstream's answer.</param>
/// <param name="model">The deployment's catalog entry, when it has one.</param>
/// <param name="uploadBytes">How many bytes of the upload were sent.</param>
internal delegate ModalityUsage UploadMeter(ReadOnlySpan<byte> upstreamBody, ModelEntry? model, long uploadBytes);
