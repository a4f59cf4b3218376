using BenchmarkDotNet.Attributes;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Benchmarks.Pricing;

/// <summary>
/// <see cref="CostCalculator.Calculate"/>, run once per request when usage arrives (and three times at admission
/// for a budgeted key), on built-in catalog entries: a plain call, a call with prompt-cache reads and writes, and a
/// prompt past a long-context threshold. The plain case is the baseline the others are compared with.
/// </summary>
[MemoryDiagnoser]
public class CostCalculatorBenchmarks
{
    private ModelEntry _gpt4oMini = null!;
    private ModelEntry _claudeSonnet = null!;
    private ModelEntry _geminiPro = null!;

    private readonly TokenUsage _plain = new() { InputTokens = 31, OutputTokens = 33 };
    private readonly TokenUsage _cached = new() { InputTokens = 1_200, CacheReadTokens = 18_000, CacheWrite5mTokens = 2_048, OutputTokens = 640 };
    private readonly TokenUsage _longContext = new() { InputTokens = 230_000, CacheReadTokens = 20_000, OutputTokens = 2_000, ReasoningTokens = 1_200 };

    [GlobalSetup]
    public void Setup()
    {
        var catalog = ModelCatalog.BuiltIn;
        _gpt4oMini = catalog.Find("openai", "gpt-4o-mini") ?? throw new InvalidOperationException("openai/gpt-4o-mini is not in the catalog.");
        _claudeSonnet = catalog.Find("anthropic", "claude-sonnet-4-5") ?? throw new InvalidOperationException("anthropic/claude-sonnet-4-5 is not in the catalog.");
        _geminiPro = catalog.Find("gemini", "gemini-2.5-pro") ?? throw new InvalidOperationException("gemini/gemini-2.5-pro is not in the catalog.");
        if (!LongContext().LongContext || Cached().CacheWrite == 0m)
        {
            throw new InvalidOperationException("The cases do not exercise the paths they are named after.");
        }
    }

    [Benchmark(Baseline = true, Description = "plain (gpt-4o-mini)")]
    public Cost Plain() => CostCalculator.Calculate(_gpt4oMini, _plain);

    [Benchmark(Description = "cache read + write (claude-sonnet-4-5)")]
    public Cost Cached() => CostCalculator.Calculate(_claudeSonnet, _cached);

    [Benchmark(Description = "long context > 200K (gemini-2.5-pro)")]
    public Cost LongContext() => CostCalculator.Calculate(_geminiPro, _longContext);
}
