using Tollgate.Emulator.Dialects;
using Tollgate.Emulator.Faults;

namespace Tollgate.Emulator.Engine;

/// <summary>What the engine needs to know about a request to act out its faults in its API's words.</summary>
/// <param name="Dialect">The API the answer is written in.</param>
/// <param name="Model">The model asked for, for rate-limit messages; null for <c>GET /v1/models</c>.</param>
/// <param name="PromptTokens">The prompt size the context-length checks compare; null where there is no prompt.</param>
/// <param name="Quota">The instance's quota after this request, when it has one.</param>
/// <param name="Embeddings">An embeddings request (OpenAI words its context error differently there).</param>
internal readonly record struct Answering(EmulatorDialect Dialect, string? Model, long? PromptTokens, QuotaSnapshot? Quota, bool Embeddings = false);
