using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.Responses;
using Tollgate.Gateway.Auth;
using Tollgate.Storage.Responses;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// The Responses API's state in Tollgate's database: each stored response keeps its whole conversation (input items
/// and output), so a <c>previous_response_id</c> is replayed into the next request on whatever provider it reaches.
/// Scoped to the key that created it; responses older than the retention are purged as new ones arrive.
/// </summary>
internal sealed class ResponsesState(IResponseStore store, TimeProvider time, TimeSpan retention)
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);
    private readonly Lock _purgeLock = new();
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    /// <summary>Puts the authenticated key where the Responses dialect's reads can find it.</summary>
    public static void SetKey(HttpContext context, KeyContext key) => context.Items[typeof(KeyContext)] = key;

    /// <summary>The owner name of the caller's key (<c>master</c> for the master key).</summary>
    public static string Owner(HttpContext context) =>
        context.Items.TryGetValue(typeof(KeyContext), out var k) && k is KeyContext key ? Owner(key) : "master";

    /// <summary>The owner name of <paramref name="key"/>.</summary>
    public static string Owner(KeyContext key) => key.KeyId ?? "master";

    /// <summary>The stored response <paramref name="id"/> of <paramref name="owner"/>, or null.</summary>
    public StoredResponse? Find(string id, string owner) => store.Find(id, owner);

    /// <summary>Deletes the stored response; false when the owner has none with that id.</summary>
    public bool Delete(string id, string owner) => store.Delete(id, owner);

    /// <summary>The conversation up to and including a stored response, as Responses items.</summary>
    public static List<JsonNode> Conversation(StoredResponse stored) =>
        JsonNode.Parse(stored.Conversation) is JsonArray items ? items.Where(static i => i is not null).Select(static i => i!.DeepClone()).ToList() : [];

    /// <summary>
    /// What keeps a finished response when the request asked for <c>store</c>: its input items after the replayed
    /// history, then its output items, under the caller's key. Null when nothing is to be kept.
    /// </summary>
    public Action<JsonObject>? Keeper(ResponsesInbound.ResponsesRequest request, string? upstream)
    {
        if (!request.Store)
        {
            return null;
        }

        return response =>
        {
            if (response["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id))
            {
                return;
            }

            var input = WithIds(request.Translation.InputItems);
            var conversation = new JsonArray(request.History.Select(static i => i.DeepClone()).ToArray());
            foreach (var item in input)
            {
                conversation.Add(item!.DeepClone());
            }

            if (response["output"] is JsonArray output)
            {
                foreach (var item in output)
                {
                    conversation.Add(item?.DeepClone());
                }
            }

            var now = time.GetUtcNow();
            store.Save(new StoredResponse(id, request.Owner, upstream, now, input.ToJsonString(), conversation.ToJsonString(), response.ToJsonString()));
            PurgeIfDue(now);
        };
    }

    private void PurgeIfDue(DateTimeOffset now)
    {
        lock (_purgeLock)
        {
            if (now - _lastPurge < PurgeInterval)
            {
                return;
            }

            _lastPurge = now;
        }

        store.Purge(now - retention);
    }

    /// <summary>Input items as <c>input_items</c> lists them: each with an id.</summary>
    private static JsonArray WithIds(JsonArray items)
    {
        var copy = new JsonArray();
        foreach (var item in items)
        {
            if (item is not JsonObject obj)
            {
                continue;
            }

            var clone = obj.DeepClone().AsObject();
            if (clone["id"] is null)
            {
                clone["id"] = ResponseObject.NewItemId(clone["type"]?.GetValue<string>() == "function_call_output" ? "fco" : "msg");
            }

            copy.Add((JsonNode)clone);
        }

        return copy;
    }

    /// <summary>Serializes a JSON node to UTF-8.</summary>
    public static byte[] Utf8(JsonNode node) => NodeJson.Utf8(node);
}
