namespace Tollgate.Emulator.Chat;

/// <summary>A function tool offered by the request, with the arguments the emulator would call it with.</summary>
internal sealed record ToolDefinition(string Name, string Arguments);
