using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Public;

namespace Tollgate.Gateway.Auth;

/// <summary>
/// Turns the request's credentials (<c>Authorization: Bearer</c>, <c>x-api-key</c>, or Gemini's <c>x-goog-api-key</c> / <c>?key=</c>) into a <see cref="KeyContext"/>:
/// the master key, or a virtual key found by its hash in the in-memory <see cref="KeyCache"/>. Unknown, deleted,
/// disabled and expired keys get 401, each with its reason. Without a key, public mode (when on and when the
/// caller allows it) admits the request as an anonymous client.
/// </summary>
internal sealed class Authenticator(MasterKey masterKey, KeyCache keys, TimeProvider time, GatewayOptions options, ClientAddressResolver clients)
{
    /// <param name="context">The request.</param>
    /// <param name="error">Why the request is refused, when the result is null.</param>
    /// <param name="allowPublic">True on model endpoints, which public mode opens to keyless callers.</param>
    public KeyContext? Authenticate(HttpContext context, out ApiError? error, bool allowPublic = false)
    {
        var presented = ReadKey(context.Request);
        if (presented.IsEmpty)
        {
            if (allowPublic && options.Public.Enabled)
            {
                error = null;
                return KeyContext.ForPublic(clients.Resolve(context));
            }

            error = ApiError.Unauthorized("Missing API key: send 'Authorization: Bearer <key>'.");
            return null;
        }

        // One hash serves both checks: the master key's and the virtual keys' lookup.
        Span<byte> hash = stackalloc byte[32];
        if (!KeyMaterial.TryHash(presented, hash))
        {
            error = ApiError.Unauthorized("Invalid API key.");
            return null;
        }

        if (masterKey.MatchesHash(hash))
        {
            error = null;
            return KeyContext.Master;
        }

        var key = keys.FindByHash(hash);
        if (key is null)
        {
            error = ApiError.Unauthorized("Invalid API key.");
            return null;
        }

        if (key.DeletedAt is not null)
        {
            error = ApiError.Unauthorized($"The API key {key.Prefix}... was deleted.");
            return null;
        }

        if (key.Disabled)
        {
            error = ApiError.Unauthorized($"The API key {key.Prefix}... is disabled.");
            return null;
        }

        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            error = ApiError.Unauthorized($"The API key {key.Prefix}... expired at {expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.");
            return null;
        }

        error = null;
        return KeyContext.ForKey(key);
    }

    private static bool IsGeminiPath(PathString path) =>
        path.StartsWithSegments("/v1beta", StringComparison.Ordinal) || path.StartsWithSegments("/v1/models", StringComparison.Ordinal);

    private static ReadOnlySpan<char> ReadKey(HttpRequest request)
    {
        var auth = request.Headers.Authorization;
        if (auth.Count == 1)
        {
            var value = auth[0].AsSpan().Trim();
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return value[7..].Trim();
            }
        }

        var apiKey = request.Headers["x-api-key"];
        if (apiKey.Count == 1)
        {
            return apiKey[0].AsSpan().Trim();
        }

        // Gemini's clients: the x-goog-api-key header, or ?key= on Gemini's paths only (a key in a URL is easily logged,
        // so no other endpoint takes one; the gateway logs paths without their query and never forwards the client's).
        var googKey = request.Headers["x-goog-api-key"];
        if (googKey.Count == 1)
        {
            return googKey[0].AsSpan().Trim();
        }

        var queryKey = request.Query["key"];
        return queryKey.Count == 1 && IsGeminiPath(request.Path) ? queryKey[0].AsSpan().Trim() : default;
    }
}
