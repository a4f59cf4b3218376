namespace Tollgate.Storage.Responses;

/// <summary>One stored Responses API response (<c>store: true</c>), kept for <c>previous_response_id</c> and <c>GET /v1/responses/{id}</c>.</summary>
/// <param name="Id">The response's id (<c>resp_...</c>).</param>
/// <param name="Owner">The key that created it (its id, or <c>master</c>); only it may read or delete it.</param>
/// <param name="Upstream">The provider that holds the response's own state (OpenAI, for a passthrough), else null.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="InputItems">The request's own input items, a JSON array.</param>
/// <param name="Conversation">The whole conversation up to and including this response's output, a JSON array of items.</param>
/// <param name="Response">The response object, JSON.</param>
public sealed record StoredResponse(string Id, string Owner, string? Upstream, DateTimeOffset CreatedAt, string InputItems, string Conversation, string Response);
