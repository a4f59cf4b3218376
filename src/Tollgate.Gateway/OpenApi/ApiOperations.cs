namespace Tollgate.Gateway.OpenApi;

/// <summary>
/// What the OpenAPI document says about each route. The handlers write their JSON by hand (Utf8JsonWriter, no
/// reflection), so the generator cannot see their shapes; this table describes them, and a test checks that every
/// mapped route has its entry here, so a new route without one fails the build's tests.
/// </summary>
internal static class ApiOperations
{
    private static readonly (string, string)[] Range =
    [
        ("from", "Start, inclusive: a date (2026-11-01) or a date-time; UTC unless an offset is given."),
        ("to", "End, exclusive: a date or a date-time."),
    ];

    private static readonly (string, string) Key = ("key", "Only this key's data (its prefix). A virtual key may name only itself (403 otherwise).");

    public static IReadOnlyList<ApiOperation> All { get; } =
    [
        new("POST", "/v1/chat/completions", "Models", "OpenAI Chat Completions, streaming and not, to any configured provider; usage.cost added.")
        {
            JsonBody = true,
            Specification = new Uri("https://platform.openai.com/docs/api-reference/chat/create"),
            Description = "The OpenAI Chat Completions API, passed through or translated for the provider. Every response carries `usage.cost` (USD) and an `x-tollgate-request-id` header.",
        },
        new("POST", "/v1/embeddings", "Models", "OpenAI embeddings, with cost; Gemini models translated to batchEmbedContents.")
        {
            JsonBody = true,
            Specification = new Uri("https://platform.openai.com/docs/api-reference/embeddings/create"),
        },
        new("POST", "/v1/images/generations", "Models", "OpenAI image generation, priced per image or by tokens (docs/MODALITIES.md).")
        {
            JsonBody = true,
            Specification = new Uri("https://platform.openai.com/docs/api-reference/images/create"),
        },
        new("POST", "/v1/images/edits", "Models", "OpenAI image edit: a multipart/form-data upload (image, mask, prompt, model), streamed to the provider; priced as a generation.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/images/createEdit"),
        },
        new("POST", "/v1/audio/speech", "Models", "OpenAI text to speech: JSON in, audio out; priced per character, second or token.")
        {
            JsonBody = true,
            ContentType = "audio/mpeg",
            Specification = new Uri("https://platform.openai.com/docs/api-reference/audio/createSpeech"),
        },
        new("POST", "/v1/audio/transcriptions", "Models", "OpenAI transcription: a multipart/form-data upload (file, model), streamed to the provider; priced per second or token.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/audio/createTranscription"),
        },
        new("POST", "/v1/audio/translations", "Models", "OpenAI translation to English: a multipart/form-data upload (file, model), streamed to the provider.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/audio/createTranslation"),
        },
        new("POST", "/v1/moderations", "Models", "OpenAI moderations, priced per input token (omni-moderation is free).")
        {
            JsonBody = true,
            Specification = new Uri("https://platform.openai.com/docs/api-reference/moderations/create"),
        },
        new("POST", "/v1/messages", "Models", "Anthropic Messages, to any configured provider.")
        {
            JsonBody = true,
            Specification = new Uri("https://docs.anthropic.com/en/api/messages"),
        },
        new("POST", "/v1/messages/count_tokens", "Models", "Anthropic's token count for a Messages request.")
        {
            JsonBody = true,
            Specification = new Uri("https://docs.anthropic.com/en/api/messages-count-tokens"),
        },
        new("POST", "/v1/responses", "Models", "OpenAI Responses, streaming and not, to any configured provider; usage.cost added.")
        {
            JsonBody = true,
            Specification = new Uri("https://platform.openai.com/docs/api-reference/responses/create"),
            Description = "The OpenAI Responses API: passed through to OpenAI, translated through chat for every other provider. `store` (default true) keeps the response for `previous_response_id` and the routes below, for the key that created it.",
        },
        new("POST", "/v1/responses/input_tokens", "Models", "The input tokens of a Responses request: OpenAI's count, or the gateway's estimate for other providers.")
        {
            JsonBody = true,
            Specification = new Uri("https://platform.openai.com/docs/api-reference/responses/input-tokens"),
        },
        new("GET", "/v1/responses/{id}", "Models", "A stored response of the calling key.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/responses/get"),
        },
        new("DELETE", "/v1/responses/{id}", "Models", "Deletes a stored response of the calling key.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/responses/delete"),
        },
        new("GET", "/v1/responses/{id}/input_items", "Models", "The input items of a stored response of the calling key.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/responses/input-items"),
        },
        new("GET", "/v1/models", "Models", "The catalog models of the enabled providers, with context length, max output tokens and pricing (USD per 1M tokens).")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/models/list"),
        },
        new("GET", "/v1/models/{id}", "Models", "One model (provider/model) with its limits and prices.")
        {
            Specification = new Uri("https://platform.openai.com/docs/api-reference/models/retrieve"),
        },
        new("POST", "/v1/models/{id}", "Models", "Gemini's native API ({model}:generateContent, :streamGenerateContent, :countTokens, :embedContent, :batchEmbedContents), to any configured provider.")
        {
            JsonBody = true,
            Specification = new Uri("https://ai.google.dev/api/generate-content"),
        },
        new("POST", "/v1beta/models/{id}", "Models", "Gemini's native API under v1beta, as POST /v1/models/{id}.")
        {
            JsonBody = true,
            Specification = new Uri("https://ai.google.dev/api/generate-content"),
        },
        new("GET", "/v1beta/models", "Models", "The catalog models of the enabled providers in Gemini's Model shape.")
        {
            Specification = new Uri("https://ai.google.dev/api/models#method:-models.list"),
        },
        new("GET", "/v1beta/models/{id}", "Models", "One model in Gemini's Model shape.")
        {
            Specification = new Uri("https://ai.google.dev/api/models#method:-models.get"),
        },
        new("GET", "/v1/cost", "Models", "The price calculator: the cost of one call on 1 to 20 models side by side, from the catalog.",
            ("model", "A model (provider/model or a bare name); repeat to compare."),
            ("input", "All prompt tokens, cached ones included."),
            ("cached", "Of the input, tokens read from the cache."),
            ("cache_write", "Of the input, tokens written to a 5-minute cache."),
            ("cache_write_1h", "Of the input, tokens written to a 1-hour cache."),
            ("output", "Output tokens, reasoning included."),
            ("tier", "standard, batch, flex or priority.")),
        new("GET", "/v1/requests", "Ledger", "The ledger newest first, filtered, a page at a time (a virtual key sees its own entries).",
            [("limit", "Entries per page, 1 to 10000 (default 50)."), ("cursor", "The next_cursor of the previous page."), Key,
             ("model", "Only this model (provider/model)."), ("provider", "Only this provider."),
             ("status", "An HTTP status (429), a class (4xx), ok (below 400) or error (400 and above)."), .. Range]),
        new("GET", "/v1/requests/{id}", "Ledger", "One ledger entry with its model's prices and its cost split into parts."),
        new("GET", "/v1/usage", "Usage", "Requests, tokens by kind and cost summed from the ledger, per key, model, provider or day.",
            [("group_by", "key, model, provider or day."), Key, .. Range]),
        new("GET", "/v1/usage/series", "Usage", "The sums of /v1/usage per UTC hour or day, and per group within each bucket.",
            [("bucket", "hour (default) or day."), ("group_by", "key, model or provider."), Key, .. Range]),
        new("GET", "/v1/usage/latency", "Usage", "Requests, failures, error rate and latency and time-to-first-token percentiles per provider, model or key.",
            [("group_by", "provider (default), model or key."), Key, .. Range]),
        new("GET", "/v1/budgets", "Keys", "Every budgeted key's spend this period (master key), or the calling key's."),
        new("POST", "/v1/keys", "Keys", "Creates a virtual key (master key); the full key is in this response only.") { JsonBody = true },
        new("GET", "/v1/keys", "Keys", "Every virtual key, oldest first (master key)."),
        new("PATCH", "/v1/keys/{prefix}", "Keys", "Changes the fields sent; null clears one (master key).") { JsonBody = true },
        new("DELETE", "/v1/keys/{prefix}", "Keys", "Deletes a key; its prefix is never handed out again (master key)."),
        new("GET", "/v1/key", "Keys", "The calling virtual key's own parameters."),
        new("GET", "/v2/billing", "Billing", "The calling key's budget left this period, in USD (null when unlimited)."),
        new("GET", "/v2/billing/detail", "Billing", "The balance with the key's limit, spend, reservations and period."),
        new("GET", "/v1/billing/balance", "Billing", "The balance in the legacy shape."),
        new("GET", "/health", "Service", "Liveness.") { Anonymous = true },
        new("GET", "/metrics", "Service", "Metrics in Prometheus text format (OpenTelemetry GenAI conventions and Tollgate's own).") { Anonymous = true, ContentType = "text/plain" },
        new("GET", "/openapi/{documentName}.json", "Service", "This document (documentName v1).") { Anonymous = true },
        new("GET", "/", "Dashboard", "Redirects to the dashboard.") { Anonymous = true, ContentType = "text/html" },
        new("GET", "/ui/{path}", "Dashboard", "The dashboard's page and files (the page signs in with a key of its own).") { Anonymous = true, ContentType = "text/html" },
        new("HEAD", "/ui/{path}", "Dashboard", "The headers of a dashboard file.") { Anonymous = true, ContentType = "text/html" },
    ];
}
