using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Pipeline;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// <c>GET /v1/responses/{id}</c>, <c>DELETE /v1/responses/{id}</c> and <c>GET /v1/responses/{id}/input_items</c>:
/// the stored responses of the calling key (another key's response is a 404, as an unknown one), in OpenAI's shapes.
/// </summary>
internal sealed class ResponsesEndpoints(Authenticator authenticator, ResponsesState state)
{
    public Task GetAsync(HttpContext context, string id) => WithStored(context, id, stored =>
        RequestPipeline.WriteJsonAsync(context, StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(stored.Response)));

    public Task InputItemsAsync(HttpContext context, string id) => WithStored(context, id, stored =>
    {
        var items = JsonNode.Parse(stored.InputItems) as JsonArray ?? [];
        var data = new JsonArray(items.Select(static i => i?.DeepClone()).ToArray());
        var list = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["first_id"] = data.Count > 0 ? data[0]?["id"]?.DeepClone() : null,
            ["last_id"] = data.Count > 0 ? data[^1]?["id"]?.DeepClone() : null,
            ["has_more"] = false,
        };
        return RequestPipeline.WriteJsonAsync(context, StatusCodes.Status200OK, ResponsesState.Utf8(list));
    });

    public async Task DeleteAsync(HttpContext context, string id)
    {
        if (await AuthorizeAsync(context).ConfigureAwait(false) is not { } owner)
        {
            return;
        }

        if (!state.Delete(id, owner))
        {
            await NotFound(id).WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await RequestPipeline.WriteJsonAsync(context, StatusCodes.Status200OK, ResponsesState.Utf8(new JsonObject { ["id"] = id, ["object"] = "response.deleted", ["deleted"] = true })).ConfigureAwait(false);
    }

    private async Task WithStored(HttpContext context, string id, Func<Storage.Responses.StoredResponse, Task> answer)
    {
        if (await AuthorizeAsync(context).ConfigureAwait(false) is not { } owner)
        {
            return;
        }

        if (state.Find(id, owner) is not { } stored)
        {
            await NotFound(id).WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await answer(stored).ConfigureAwait(false);
    }

    /// <summary>The caller's owner name; null (with the 401/403 written) when the caller may not read responses.</summary>
    private async Task<string?> AuthorizeAsync(HttpContext context)
    {
        var key = authenticator.Authenticate(context, out var error);
        if (key is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return null;
        }

        if (key.Virtual?.Scopes is { Count: > 0 } scopes && !scopes.Contains(Scope))
        {
            await ApiError.Forbidden($"This key's scopes do not include '{Scope}'.").WriteAsync(context).ConfigureAwait(false);
            return null;
        }

        return ResponsesState.Owner(key);
    }

    private const string Scope = "model:responses";

    private static ApiError NotFound(string id) =>
        ApiError.NotFound($"Response with id '{id}' not found.", "response_id", "response_not_found");
}
