namespace Tollgate.Dialects.Responses;

/// <summary>One Responses API stream event: its <c>event:</c> type and its JSON data (which repeats the type).</summary>
public sealed record ResponsesSseEvent(string Type, byte[] Data);
