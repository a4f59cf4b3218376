using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Gateway.Keys;

/// <summary>Draws new virtual keys and hashes presented ones. A key is <c>tg-</c> and 40 random letters and digits (about 238 bits).</summary>
internal static class KeyMaterial
{
    public const string KeyStart = "tg-";
    public const int PrefixLength = 8;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewKey() => KeyStart + RandomNumberGenerator.GetString(Alphabet, 40);

    public static string Prefix(string key) => key[..PrefixLength];

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Writes the SHA-256 of <paramref name="key"/>'s UTF-8 bytes into <paramref name="hash"/> (32 bytes) without allocating; false when the key is too long to be one.</summary>
    public static bool TryHash(ReadOnlySpan<char> key, Span<byte> hash)
    {
        Span<byte> utf8 = stackalloc byte[256];
        if (Encoding.UTF8.GetMaxByteCount(key.Length) > utf8.Length)
        {
            return false;
        }

        var n = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..n], hash);
        return true;
    }
}
