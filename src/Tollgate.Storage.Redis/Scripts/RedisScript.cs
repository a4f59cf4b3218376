using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Tollgate.Storage.Redis.Scripts;

/// <summary>
/// One Lua script of <c>Scripts/*.lua</c> (embedded in the assembly), run by its SHA-1 with EVALSHA so its text crosses
/// the wire once per server: when the server does not know it (a restart or SCRIPT FLUSH), it is sent once more.
/// </summary>
internal sealed class RedisScript
{
    private RedisScript(string name, string text)
    {
        Name = name;
        Text = text;

        // SHA-1 is what Redis names scripts by; nothing here depends on it being hard to forge.
#pragma warning disable CA5350
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
    }

    public string Name { get; }
    public string Text { get; }
    public byte[] Sha1 { get; }

    public static RedisScript Limits { get; } = Load("limits");
    public static RedisScript Quota { get; } = Load("quota");
    public static RedisScript Circuit { get; } = Load("circuit");

    public static IReadOnlyList<RedisScript> All { get; } = [Limits, Quota, Circuit];

    public async Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await db.ScriptEvaluateAsync(Sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(Text, keys, args).ConfigureAwait(false);
        }
    }

    public RedisResult Evaluate(IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return db.ScriptEvaluate(Sha1, keys, args);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return db.ScriptEvaluate(Text, keys, args);
        }
    }

    private static RedisScript Load(string name)
    {
        using var stream = typeof(RedisScript).Assembly.GetManifestResourceStream($"Tollgate.Storage.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is not embedded.");
        using var reader = new StreamReader(stream);
        return new RedisScript(name, reader.ReadToEnd());
    }
}
