namespace Tollgate.Emulator.Dialects;

/// <summary>The wire format a request arrived in, and so the one the answer is written in.</summary>
internal enum EmulatorDialect
{
    OpenAI,
    Anthropic,
    Gemini,
}
