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
            LogFormat = NullIfEmpty(env("TOLLGATE_LOG_FORMAT")) is { } format ? ParseLogFormat(format, "TOLLGATE_LOG_FORMAT") : LogFormat.Text,
            LogRequests = NullIfEmpty(env("TOLLGATE_LOG_REQUESTS")) is { } logRequests && ParseSwitch(logRequests, "TOLLGATE_LOG_REQUESTS"),
            LedgerFsync = NullIfEmpty(env("TOLLGATE_LEDGER_FSYNC")) is { } fsync && ParseSwitch(fsync, "TOLLGATE_LEDGER_FSYNC"),
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

        if (configPath is not null)
        {
            // "demo" is known too: a file may route to it even while other providers are configured (it is then off).
            ModelsLoader.Validate(options.Models, id => providers.ContainsKey(id) || KnownProviders.IsKnown(id) || id.Equals("demo", StringComparison.OrdinalIgnoreCase), new ConfigReader(configPath));
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

        var reader = new ConfigReader(path);
        if (obj["data_dir"] is { } dataDir)
        {
            options = options with { DataDirectory = reader.String(dataDir, "data_dir") };
        }

        if (obj["master_key"] is { } masterKey && options.MasterKey is null)
        {
            options = options with { MasterKey = reader.String(masterKey, "master_key") };
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

        if (obj["log_format"] is { } logFormat)
        {
            options = options with { LogFormat = ParseLogFormat(reader.String(logFormat, "log_format"), $"'log_format' in {path}") };
        }

        if (obj["log_requests"] is { } logRequests)
        {
            options = options with { LogRequests = reader.Bool(logRequests, "log_requests") };
        }

        if (obj["ledger_fsync"] is { } fsync)
        {
            options = options with { LedgerFsync = reader.Bool(fsync, "ledger_fsync") };
        }

        if (obj["max_request_body_bytes"] is { } max)
        {
            options = options with { MaxRequestBodyBytes = reader.Long(max, "max_request_body_bytes", 1) };
        }

        if (obj["upstream_timeout_seconds"] is { } timeout)
        {
            options = options with { UpstreamTimeout = reader.Seconds(timeout, "upstream_timeout_seconds") };
        }

        if (obj["responses_retention_days"] is { } retention)
        {
            options = options with { ResponsesRetention = TimeSpan.FromDays(reader.Long(retention, "responses_retention_days", 1)) };
        }

        if (obj["demo"] is { } demo)
        {
            options = options with { Demo = reader.Bool(demo, "demo") };
        }

        if (obj["public"] is JsonObject publicMode)
        {
            options = options with { Public = PublicModeLoader.Read(publicMode, path) };
        }

        if (obj["providers"] is { } list)
        {
            foreach (var (id, node) in reader.Object(list, "providers"))
            {
                if (node is not JsonObject p)
                {
                    continue;
                }

                var field = "providers." + id;
                providers.TryGetValue(id, out var existing);
                var known = KnownProviders.All.FirstOrDefault(k => k.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
                var apiKey = (p["api_key"] is { } key ? reader.String(key, field + ".api_key") : null)
                    ?? (p["api_key_env"] is { } keyEnv ? env(reader.String(keyEnv, field + ".api_key_env")) : null)
                    ?? existing?.ApiKey;
                var baseUrl = (p["base_url"] is { } url ? reader.String(url, field + ".base_url") : null) ?? existing?.BaseUrl ?? known.DefaultBaseUrl
                    ?? throw reader.Error(field + ".base_url", $"provider '{id}' needs a base_url");
                if (p["enabled"] is { } enabled && !reader.Bool(enabled, field + ".enabled"))
                {
                    providers.Remove(id);
                    continue;
                }

                providers[id] = new ProviderSettings
                {
                    Id = id,
                    BaseUrl = baseUrl.TrimEnd('/'),
                    ApiKey = apiKey,
                    Dialect = p["dialect"] is { } dialect
                        ? ParseDialect(reader.String(dialect, field + ".dialect"), field + ".dialect", reader)
                        : existing?.Dialect ?? (known.Id is null ? UpstreamDialect.OpenAI : known.Dialect),
                    UnsupportedParameters = p["unsupported_params"] is { } policy
                        ? ParsePolicy(reader.String(policy, field + ".unsupported_params"), field + ".unsupported_params", reader)
                        : existing?.UnsupportedParameters ?? UnsupportedParameterPolicy.Drop,
                    Free = p["free"] is { } free ? reader.Bool(free, field + ".free") : existing?.Free ?? false,
                    Limits = p["limits"] is { } limits ? ReadLimits(limits, field + ".limits", reader) : existing?.Limits,
                };
            }
        }

        if (obj["models"] is { } models)
        {
            options = options with { Models = ModelsLoader.Read(reader.Object(models, "models"), reader) };
        }

        if (obj["routing"] is { } routing)
        {
            options = options with { Routing = RoutingLoader.Read(reader.Object(routing, "routing"), reader) };
        }

        return options;
    }

    private static UpstreamDialect ParseDialect(string value, string field, ConfigReader reader) => value.ToLowerInvariant() switch
    {
        "openai" => UpstreamDialect.OpenAI,
        "anthropic" => UpstreamDialect.Anthropic,
        "gemini" => UpstreamDialect.Gemini,
        _ => throw reader.Error(field, $"must be \"openai\", \"anthropic\" or \"gemini\", not \"{value}\""),
    };

    private static UnsupportedParameterPolicy ParsePolicy(string value, string field, ConfigReader reader) => value.ToLowerInvariant() switch
    {
        "drop" => UnsupportedParameterPolicy.Drop,
        "reject" => UnsupportedParameterPolicy.Reject,
        _ => throw reader.Error(field, $"must be \"drop\" or \"reject\", not \"{value}\""),
    };

    private static ProviderLimits ReadLimits(JsonNode node, string field, ConfigReader reader)
    {
        var o = reader.Object(node, field);
        reader.OnlyFields(o, field, "rpm", "rpd", "tpm", "tpd");
        return new ProviderLimits
        {
            RequestsPerMinute = o["rpm"] is { } rpm ? reader.Long(rpm, field + ".rpm", 1) : null,
            RequestsPerDay = o["rpd"] is { } rpd ? reader.Long(rpd, field + ".rpd", 1) : null,
            TokensPerMinute = o["tpm"] is { } tpm ? reader.Long(tpm, field + ".tpm", 1) : null,
            TokensPerDay = o["tpd"] is { } tpd ? reader.Long(tpd, field + ".tpd", 1) : null,
        };
    }

    /// <summary><c>text</c> or <c>json</c>; anything else stops start-up naming where it was given.</summary>
    public static LogFormat ParseLogFormat(string value, string where) => value.ToLowerInvariant() switch
    {
        "text" => LogFormat.Text,
        "json" => LogFormat.Json,
        _ => throw new InvalidOperationException($"{where} must be 'text' or 'json', not '{value}'."),
    };

    private static bool ParseSwitch(string value, string name) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new InvalidOperationException($"{name} must be 1 or 0 (true or false), not '{value}'."),
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
