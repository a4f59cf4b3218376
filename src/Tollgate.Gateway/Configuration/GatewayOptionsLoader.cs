using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Configuration;

/// <summary>
/// Builds <see cref="GatewayOptions"/> from the environment and an optional <c>tollgate.json</c>:
/// providers switch on from their key variables (<c>OPENAI_API_KEY</c>, ...) with optional <c>*_BASE_URL</c>;
/// the file adds providers and overrides any field.
/// </summary>
public static class GatewayOptionsLoader
{
    public static GatewayOptions Load(Func<string, string?> env, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(env);
        var providers = new Dictionary<string, ProviderSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, prefix, defaultBaseUrl, keyRequired, dialect) in KnownProviders.All)
        {
            var key = NullIfEmpty(env(prefix + "_API_KEY"));
            var baseUrl = NullIfEmpty(env(prefix + "_BASE_URL"));
            if ((keyRequired && key is null) || (!keyRequired && baseUrl is null))
            {
                continue;
            }

            var url = baseUrl ?? defaultBaseUrl;
            if (url is null)
            {
                continue;
            }

            providers[id] = new ProviderSettings { Id = id, BaseUrl = url.TrimEnd('/'), ApiKey = key, Dialect = dialect };
        }

        var options = new GatewayOptions
        {
            DataDirectory = NullIfEmpty(env("TOLLGATE_DATA_DIR")) ?? "data",
            MasterKey = NullIfEmpty(env("TOLLGATE_MASTER_KEY")),
            DatabaseUrl = NullIfEmpty(env("TOLLGATE_DATABASE_URL")),
            RedisUrl = NullIfEmpty(env("TOLLGATE_REDIS_URL")),
        };

        if (configPath is not null)
        {
            options = ApplyFile(options, providers, configPath, env);
        }

        SharedStateSettings.Validate(options, env, configPath);

        var demo = providers.Count == 0 || string.Equals(env("TOLLGATE_DEMO"), "1", StringComparison.Ordinal) || options.Demo;
        if (demo)
        {
            providers["demo"] = new ProviderSettings { Id = "demo", BaseUrl = "http://demo.invalid/v1", InProcessEmulator = true };
        }

        return options with { Providers = providers.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToArray(), Demo = demo };
    }

    private static GatewayOptions ApplyFile(GatewayOptions options, Dictionary<string, ProviderSettings> providers, string path, Func<string, string?> env)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            throw new InvalidOperationException($"Cannot read the config file {path}: {ex.Message}", ex);
        }

        if (root is not JsonObject obj)
        {
            throw new InvalidOperationException($"The config file {path} must hold a JSON object.");
        }

        if (obj["data_dir"]?.GetValue<string>() is { } dataDir)
        {
            options = options with { DataDirectory = dataDir };
        }

        if (obj["master_key"]?.GetValue<string>() is { } masterKey && options.MasterKey is null)
        {
            options = options with { MasterKey = masterKey };
        }

        // Like the master key, the variables win over the file: they usually carry the passwords.
        if (obj["database_url"]?.GetValue<string>() is { } databaseUrl && options.DatabaseUrl is null)
        {
            options = options with { DatabaseUrl = NullIfEmpty(databaseUrl) };
        }

        if (obj["redis_url"]?.GetValue<string>() is { } redisUrl && options.RedisUrl is null)
        {
            options = options with { RedisUrl = NullIfEmpty(redisUrl) };
        }

        if (obj["redis_lease_seconds"] is JsonValue lease)
        {
            var seconds = lease.GetValue<double>();
            options = seconds is > 0 and <= 3600
                ? options with { RedisLease = TimeSpan.FromSeconds(seconds) }
                : throw new InvalidOperationException($"'redis_lease_seconds' in {path} must be between 0 and 3600, not {seconds}.");
        }

        if (obj["fail_open"] is JsonValue failOpen)
        {
            options = options with { FailOpen = failOpen.GetValue<bool>() };
        }

        if (obj["max_request_body_bytes"] is JsonValue max)
        {
            options = options with { MaxRequestBodyBytes = max.GetValue<long>() };
        }

        if (obj["upstream_timeout_seconds"] is JsonValue timeout)
        {
            options = options with { UpstreamTimeout = TimeSpan.FromSeconds(timeout.GetValue<double>()) };
        }

        if (obj["demo"] is JsonValue demo)
        {
            options = options with { Demo = demo.GetValue<bool>() };
        }

        if (obj["public"] is JsonObject publicMode)
        {
            options = options with { Public = PublicModeLoader.Read(publicMode, path) };
        }

        if (obj["providers"] is JsonObject list)
        {
            foreach (var (id, node) in list)
            {
                if (node is not JsonObject p)
                {
                    continue;
                }

                providers.TryGetValue(id, out var existing);
                var known = KnownProviders.All.FirstOrDefault(k => k.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
                var apiKey = p["api_key"]?.GetValue<string>()
                    ?? (p["api_key_env"]?.GetValue<string>() is { } keyEnv ? env(keyEnv) : null)
                    ?? existing?.ApiKey;
                var baseUrl = p["base_url"]?.GetValue<string>() ?? existing?.BaseUrl ?? known.DefaultBaseUrl
                    ?? throw new InvalidOperationException($"Provider '{id}' in {path} needs a base_url.");
                if (p["enabled"] is JsonValue enabled && !enabled.GetValue<bool>())
                {
                    providers.Remove(id);
                    continue;
                }

                providers[id] = new ProviderSettings
                {
                    Id = id,
                    BaseUrl = baseUrl.TrimEnd('/'),
                    ApiKey = apiKey,
                    Dialect = p["dialect"]?.GetValue<string>() is { } dialect ? ParseDialect(dialect, id, path) : existing?.Dialect ?? (known.Id is null ? UpstreamDialect.OpenAI : known.Dialect),
                    UnsupportedParameters = p["unsupported_params"]?.GetValue<string>() is { } policy
                        ? ParsePolicy(policy, id, path)
                        : existing?.UnsupportedParameters ?? UnsupportedParameterPolicy.Drop,
                };
            }
        }

        return options;
    }

    private static UpstreamDialect ParseDialect(string value, string id, string path) => value.ToLowerInvariant() switch
    {
        "openai" => UpstreamDialect.OpenAI,
        "anthropic" => UpstreamDialect.Anthropic,
        "gemini" => UpstreamDialect.Gemini,
        _ => throw new InvalidOperationException($"Provider '{id}' in {path}: dialect must be \"openai\", \"anthropic\" or \"gemini\", not \"{value}\"."),
    };

    private static UnsupportedParameterPolicy ParsePolicy(string value, string id, string path) => value.ToLowerInvariant() switch
    {
        "drop" => UnsupportedParameterPolicy.Drop,
        "reject" => UnsupportedParameterPolicy.Reject,
        _ => throw new InvalidOperationException($"Provider '{id}' in {path}: unsupported_params must be \"drop\" or \"reject\", not \"{value}\"."),
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
