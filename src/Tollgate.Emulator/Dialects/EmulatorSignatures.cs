using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Emulator.Dialects;

/// <summary>
/// Deterministic stand-ins for Anthropic's thinking signatures and Gemini's thought signatures: the emulator issues
/// them and, like the real APIs, checks that they come back unchanged, so a gateway that drops or garbles them fails.
/// </summary>
internal static class EmulatorSignatures
{
    /// <summary>The thinking text of an emulated Anthropic thinking block.</summary>
    public const string ThinkingText = "Considering the request.";

    /// <summary>Google's documented placeholder that skips the check for replayed calls that lost their signature.</summary>
    public const string SkipValidator = "skip_thought_signature_validator";

    public static string Thinking(string thinking) => Sign("thinking:" + thinking);

    public static string FunctionCall(string name) => Sign("functionCall:" + name);

    // Standard base64 of opaque bytes, as the real signatures are (gateways may re-encode them, e.g. into base64url).
    private static string Sign(string text) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("tollgate-emulator\n" + text)));
}
