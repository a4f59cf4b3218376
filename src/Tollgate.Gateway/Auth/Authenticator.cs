using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Errors;

namespace Tollgate.Gateway.Auth;

/// <summary>Turns the request's credentials (<c>Authorization: Bearer</c> or <c>x-api-key</c>) into a <see cref="KeyContext"/>.</summary>
internal sealed class Authenticator(MasterKey masterKey)
{
    public KeyContext? Authenticate(HttpContext context, out ApiError? error)
    {
        var presented = ReadKey(context.Request);
        if (presented.IsEmpty)
        {
            error = ApiError.Unauthorized("Missing API key: send 'Authorization: Bearer <key>'.");
            return null;
        }

        if (masterKey.Matches(presented))
        {
            error = null;
            return KeyContext.Master;
        }

        error = ApiError.Unauthorized("Invalid API key.");
        return null;
    }

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
        return apiKey.Count == 1 ? apiKey[0].AsSpan().Trim() : default;
    }
}
