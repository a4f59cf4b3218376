namespace Tollgate.Dialects.Anthropic;

/// <summary>Why a request cannot be translated: answer the client with a 400 naming <see cref="Param"/>.</summary>
/// <param name="Param">The offending parameter path, e.g. <c>messages[2].content[0]</c>.</param>
/// <param name="Message">A message for the client.</param>
public sealed record AnthropicTranslateError(string Param, string Message);
