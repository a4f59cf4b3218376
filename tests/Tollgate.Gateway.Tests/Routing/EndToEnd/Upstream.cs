namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>
/// One provider behind the routing gateway: its own emulator instance (so its fault rule and counters are its own),
/// or, with <see cref="Refused"/>, a closed 127.0.0.1 port.
/// </summary>
/// <param name="Id">The provider id in tollgate.json.</param>
/// <param name="Dialect"><c>openai</c> or <c>anthropic</c>.</param>
/// <param name="Faults">The instance's fault rule at start (JSON), or null for a healthy one.</param>
/// <param name="Free">The provider's <c>free</c> flag.</param>
/// <param name="Limits">The provider's <c>limits</c> object (JSON), or null.</param>
/// <param name="Refused">No emulator: the provider's base URL is a port nobody listens on.</param>
internal sealed record Upstream(string Id, string Dialect = "openai", string? Faults = null, bool Free = false, string? Limits = null, bool Refused = false);
