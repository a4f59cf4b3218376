using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Admin;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Endpoints;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Pipeline;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Telemetry;
using Tollgate.Storage.Ledger;
using Tollgate.Gateway.SharedState;

namespace Tollgate.Gateway;

/// <summary>Builds the gateway's web application: services, Kestrel and endpoints.</summary>
public static class GatewayHost
{
    /// <summary>The catalog file kept in the data directory by <c>tollgate catalog import</c>.</summary>
    public const string LocalCatalogFile = "catalog.local.json";

    public static WebApplication Build(string[] args, GatewayOptions options, Func<HttpMessageHandler>? demoHandler = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // No appsettings.json is read, but the default sources watch for one with a FileSystemWatcher over the whole
        // content root (the working directory, where ./data usually is): every ledger journal and SQLite write woke
        // that watcher, about 5% of the CPU under load. Without reload-on-change there is no watcher.
        var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
        if (options.LogFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Logging.AddFilter(Settler.RequestLogCategory, options.LogRequests ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.QuietRequestActivity(Environment.GetEnvironmentVariable);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // The gateway enforces its own body limit so it can answer 413 in the API's error shape.
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });

        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{GatewayOptions.DefaultPort}");
        }

        var catalog = LoadCatalog(options.DataDirectory);
        var time = timeProvider ?? TimeProvider.System;
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(catalog);
        services.AddSingleton(_ => MasterKey.Load(options.MasterKey, options.DataDirectory));
        services.AddSingleton(_ => new UpstreamRegistry(options.Providers, demoHandler));
        services.AddTollgateStorage(StorageEngines.OpenAsync(options, time).GetAwaiter().GetResult());
        services.AddSingleton<Authenticator>();
        services.AddTollgateRouting();
        services.AddSingleton<UpstreamSender>();
        services.AddSingleton<Settler>();
        services.AddSingleton<RequestPipeline>();
        services.AddSingleton(sp => new ResponsesState(sp.GetRequiredService<StorageEngines>().ResponseStore(), time, options.ResponsesRetention));
        services.AddSingleton<ModelsEndpoints>();
        services.AddSingleton<GeminiModelsEndpoints>();
        services.AddSingleton<HealthEndpoint>();
        services.AddTollgateKeys(options);
        services.AddTollgateAdmin();
        services.AddTollgateTelemetry(Environment.GetEnvironmentVariable);

        var app = builder.Build();
        app.LoadKeysAndBudgets();
        Map(app);
        return app;
    }

    /// <summary>The Responses API: <c>POST /v1/responses</c> through the pipeline, and its stored responses.</summary>
    private static void MapResponses(WebApplication app, RequestPipeline pipeline)
    {
        var state = app.Services.GetRequiredService<ResponsesState>();
        var responses = new ResponsesInbound(state);
        var stored = new ResponsesEndpoints(app.Services.GetRequiredService<Authenticator>(), state);
        var inputTokens = new ResponsesInbound(state, countTokens: true);
        app.MapPost("/v1/responses", c => pipeline.HandleAsync(c, responses));
        app.MapPost("/v1/responses/input_tokens", c => pipeline.HandleAsync(c, inputTokens));
        app.MapGet("/v1/responses/{id}", stored.GetAsync);
        app.MapDelete("/v1/responses/{id}", stored.DeleteAsync);
        app.MapGet("/v1/responses/{id}/input_items", stored.InputItemsAsync);
    }

    /// <summary>
    /// The built-in catalog (its community layer replaced by the one <c>tollgate catalog update</c> stored, if any)
    /// merged with the local one that <c>tollgate catalog import</c> writes.
    /// </summary>
    public static ModelCatalog LoadCatalog(string dataDirectory)
    {
        var builtIn = CommunityUpdate.BuiltInWithUpdate(dataDirectory);
        var local = Path.Combine(dataDirectory, LocalCatalogFile);
        return File.Exists(local) ? builtIn.Merge(CatalogFile.Read(local)) : builtIn;
    }

    private static void Map(WebApplication app)
    {
        var pipeline = app.Services.GetRequiredService<RequestPipeline>();
        var models = app.Services.GetRequiredService<ModelsEndpoints>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tollgate.Gateway");
        app.UseTollgateCors();

        // No input may produce a bare 500: malformed HTTP is a 400 and a bug is an API-shaped 500 that is logged.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await new ApiError(ex.StatusCode, "Malformed HTTP request: " + ex.Message, "invalid_request_error").WriteAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Unhandled error on {Path}", context.Request.Path);
                await new ApiError(StatusCodes.Status500InternalServerError, "Internal gateway error.", "server_error").WriteAsync(context).ConfigureAwait(false);
            }
        });

        app.MapPost("/v1/chat/completions", c => pipeline.HandleAsync(c, OpenAIInbound.Chat));
        app.MapPost("/v1/embeddings", c => pipeline.HandleAsync(c, OpenAIInbound.Embeddings));
        app.MapPost("/v1/messages", c => pipeline.HandleAsync(c, AnthropicInbound.Messages));
        app.MapPost("/v1/messages/count_tokens", c => pipeline.HandleAsync(c, AnthropicInbound.CountTokens));
        MapResponses(app, pipeline);
        // Google's SDK lists models on /v1/models too: a Gemini client gets Gemini's shape.
        var geminiModels = app.Services.GetRequiredService<GeminiModelsEndpoints>();
        app.MapGet("/v1/models", c => GeminiModelsEndpoints.IsGeminiClient(c.Request) ? geminiModels.ListAsync(c) : models.ListAsync(c));
        app.MapPost("/v1/images/generations", c => pipeline.HandleAsync(c, OpenAIImagesInbound.Generations));
        app.MapPost("/v1/audio/speech", c => pipeline.HandleAsync(c, OpenAIAudioSpeechInbound.Speech));
        app.MapPost("/v1/audio/transcriptions", c => pipeline.HandleAsync(c, OpenAIUploadInbound.Transcriptions));
        app.MapPost("/v1/audio/translations", c => pipeline.HandleAsync(c, OpenAIUploadInbound.Translations));
        app.MapPost("/v1/images/edits", c => pipeline.HandleAsync(c, OpenAIUploadInbound.ImageEdits));
        app.MapPost("/v1/moderations", c => pipeline.HandleAsync(c, OpenAIModerationInbound.Moderations));
        // Kestrel decodes every escape in the path but %2F, and the official SDKs escape the slashes of an id
        // such as groq/openai/gpt-oss-120b, so the catch-all value arrives as groq%2Fopenai%2Fgpt-oss-120b.
        app.MapGet("/v1/models/{**id}", (HttpContext c, string id) => GeminiModelsEndpoints.IsGeminiClient(c.Request)
            ? geminiModels.GetAsync(c, id)
            : models.GetAsync(c, id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)));
        app.MapGemini();
        app.MapTollgateKeys();
        app.MapTollgateAdmin();
        app.MapTollgateMetrics();
        app.MapGet("/health", app.Services.GetRequiredService<HealthEndpoint>().GetAsync);
        app.MapFallback(static (HttpContext c) =>
            ApiError.NotFound($"Unknown endpoint: {c.Request.Method} {c.Request.Path}.", null, "unknown_endpoint").WriteAsync(c));
    }
}
