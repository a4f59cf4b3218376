using System.Diagnostics;
using System.Net;
using System.Text;
using Tollgate.Gateway.Tests.Keys;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.Admission;

/// <summary>
/// Memory under large prompts on a budgeted key: 16 parallel 12 MB prompts through a real gateway (the in-process
/// emulator answers). Admission counts such prompts by their bytes, not with the tokenizer, so what the process keeps
/// after a GC does not grow with the prompts: the bodies' pooled buffers are all it may hold on to.
/// </summary>
/// <remarks>Alone in its collection, run apart from the others: the GC heap it reads is the whole test process's.</remarks>
[Collection(nameof(LargePromptMemoryTests))]
public sealed class LargePromptMemoryTests(ITestOutputHelper output)
{
    private const int Parallel = 16;
    private const int PromptBytes = 12 * 1024 * 1024;

    [Fact]
    public async Task Chat_16Parallel12MbPromptsOnABudget_AllAdmittedAndTheHeapComesBack()
    {
        await using var gw = await KeysGateway.StartAsync();
        var key = (await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 100_000 } })).GetProperty("key").GetString();
        var body = Encoding.UTF8.GetBytes($$$"""{"model":"demo/cheap","max_tokens":10,"messages":[{"role":"user","content":"{{{string.Concat(Enumerable.Repeat("word ", PromptBytes / 5))}}}"}]}""");
        using (var warm = await gw.ChatAsync(key, "demo/cheap"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var before = Heap();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var peak = workingSetBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20).ConfigureAwait(false);
            }
        });

        var statuses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await gw.Http.SendAsync(request);
            return response.StatusCode;
        }));
        await sampling.CancelAsync();
        await sampler;
        var after = Heap();
        process.Refresh();

        output.WriteLine($"{Parallel} × {body.Length / (1024 * 1024)} MB prompts: GC heap after a full GC {before / (1024 * 1024)} MB before, {after / (1024 * 1024)} MB after; working set {workingSetBefore / (1024 * 1024)} MB before, peak {peak / (1024 * 1024)} MB, {process.WorkingSet64 / (1024 * 1024)} MB after");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        // Measured: 160 to 270 MB stay (before large buffers bypassed the shared pool: 560 to 980 MB).
        Assert.True(after - before < 400L * 1024 * 1024, $"heap grew by {(after - before) / (1024 * 1024)} MB");
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
