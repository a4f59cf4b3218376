using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Inbound;

/// <summary>The one bounded reader of request bodies: into a pooled buffer, refusing past the configured limit.</summary>
internal static class RequestBodyReader
{
    /// <summary>Reads the body into <paramref name="body"/>; false when it is larger than <paramref name="limit"/>.</summary>
    public static async ValueTask<bool> TryReadAsync(HttpContext context, long limit, PooledBufferWriter body)
    {
        if (context.Request.ContentLength > limit)
        {
            return false;
        }

        var stream = context.Request.Body;
        if (context.Request.ContentLength is { } length and > 0)
        {
            // One buffer of the announced size (+1 to see the end), not a chain of doublings each copied into the next.
            body.GetMemory((int)Math.Min(length + 1, limit + 1) - body.Count);
        }

        while (true)
        {
            var n = await stream.ReadAsync(body.GetMemory(8192), context.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                return true;
            }

            body.Advance(n);
            if (body.Count > limit)
            {
                return false;
            }
        }
    }

    /// <summary>The 413 for a body past <paramref name="limit"/>.</summary>
    public static Errors.ApiError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {limit} bytes.", "invalid_request_error", null, "request_too_large");
}
