namespace Tollgate.Gateway.Inbound;

/// <summary>What a dialect that reads its own body (a multipart upload) made of it: the request, or the error to answer.</summary>
internal readonly record struct InboundRead(InboundRequest? Request, Errors.ApiError? Error);
