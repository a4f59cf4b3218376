namespace Tollgate.Dialects.Anthropic.Inbound;

/// <summary>One server-sent event in Anthropic's stream: <c>event: {EventType}</c> and <c>data: {Data}</c>.</summary>
/// <param name="EventType">The event name, e.g. <c>content_block_delta</c>.</param>
/// <param name="Data">The event's JSON data.</param>
public sealed record AnthropicSseEvent(string EventType, byte[] Data);
