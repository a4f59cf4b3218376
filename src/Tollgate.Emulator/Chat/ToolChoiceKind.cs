namespace Tollgate.Emulator.Chat;

/// <summary>The request's <c>tool_choice</c>, reduced to what decides whether the emulator calls a tool.</summary>
internal enum ToolChoiceKind
{
    Auto,
    None,
    Required,
    Named,
}
