using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Benchmarks.Keys;
using Tollgate.Benchmarks.Rewrite;
using Tollgate.Core.Catalog;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Routing;
using Tollgate.Storage.Counters;

namespace Tollgate.Benchmarks.Admission;

/// <summary>
/// <see cref="AdmissionControl.AdmitAsync"/> and <see cref="AdmissionControl.Settle"/> for one chat request (the small
/// request of the rewrite benchmark) on a virtual key with an RPM limit, RPM and TPM limits (the prompt is
/// tokenized), or both plus a monthly budget (the worst case is priced and reserved). Limits are high enough that
/// every request is admitted; the rate-limit headers are written to a reused response.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private readonly DefaultHttpContext _context = new();
    private readonly TokenUsage _usage = new() { InputTokens = 31, OutputTokens = 33 };
    private AdmissionControl _admission = null!;
    private KeyContext _key = null!;
    private Route _route = null!;
    private ReadOnlyMemory<byte> _prompt;
    private long? _maxTokens;
    private Upstream? _upstream;

    [Params("rpm", "rpm+tpm", "rpm+tpm+budget")]
    public string Limits { get; set; } = "rpm";

    [GlobalSetup]
    public void Setup()
    {
        var (_, stored) = BenchKeys.New(
            rpm: int.MaxValue,
            tpm: Limits.Contains("tpm", StringComparison.Ordinal) ? long.MaxValue / 4 : null,
            threshold: Limits.EndsWith("budget", StringComparison.Ordinal) ? 1_000_000_000m : null);
        var keys = new KeyCache(new InMemoryKeyStore([stored]), TimeProvider.System);
        keys.ReloadAsync().GetAwaiter().GetResult();
        var budgets = new BudgetTracker();
        _admission = new AdmissionControl(new InProcessLimits(new InMemoryCounterStore(), budgets), budgets, TimeProvider.System, new GatewayOptions(), keys, new NullLedger(), NullLogger<AdmissionControl>.Instance);
        _key = KeyContext.ForKey(stored);
        _upstream = new Upstream(new ProviderSettings { Id = "openai", BaseUrl = "http://127.0.0.1:18080/v1" });
        _route = new Route(_upstream, "gpt-4o-mini", ModelCatalog.BuiltIn.Find("openai", "gpt-4o-mini"));

        var body = ChatRequests.Small;
        var request = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat);
        _prompt = body.AsMemory()[request.PromptRange];
        _maxTokens = request.MaxTokens;

        if (!AdmitAndSettle())
        {
            throw new InvalidOperationException("The benchmark request was not admitted.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _upstream?.Dispose();

    [Benchmark(Description = "AdmitAsync + Settle")]
    public bool AdmitAndSettle()
    {
        // A new record per request, as the proxy makes one.
        var record = new RequestRecord("req_bench", "chat", 0, default) { Key = _key, Route = _route, RequestedModel = "openai/gpt-4o-mini" };
        var pending = _admission.AdmitAsync(_context, record, _prompt, _maxTokens);
        var result = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        _admission.Settle(result.Ticket, 0.0000246m, _usage);
        return result.Admitted;
    }
}
