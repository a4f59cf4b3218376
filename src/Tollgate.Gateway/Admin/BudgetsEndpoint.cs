using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Pricing;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// <c>GET /v1/budgets</c>: every key that has a budget (the master key) or the calling key (a virtual key), with its
/// spend this period as admission holds it: <c>spent</c> (settled), <c>reserved</c> (in flight), <c>remaining</c>,
/// <c>period_start</c> and <c>resets_at</c>. The same numbers as <c>/v2/billing/detail</c>, for all keys at once.
/// </summary>
internal sealed class BudgetsEndpoint(Authenticator authenticator, AdmissionControl admission, KeyCache keys, TimeProvider time)
{
    public async Task ListAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        IEnumerable<VirtualKey> selected = caller.IsMaster ? keys.All : caller.Virtual is { } own ? [own] : [];
        var now = time.GetUtcNow();
        await KeysEndpoints.WriteDataAsync(context, w =>
        {
            w.WriteStartArray();
            foreach (var key in selected.OrderBy(static k => k.CreatedAt).ThenBy(static k => k.Prefix, StringComparer.Ordinal))
            {
                if (key.Threshold is not { } threshold)
                {
                    continue;
                }

                var spend = admission.Spend(key);
                var start = BudgetPeriod.Start(key.Retention, now);
                w.WriteStartObject();
                w.WriteString("key", key.Prefix);
                w.WriteString("name", key.Name);
                w.WriteString("retention", key.Retention);
                w.WriteNumber("threshold", Money.Normalize(threshold));
                w.WriteNumber("spent", Money.Normalize(spend.Spent));
                w.WriteNumber("reserved", Money.Normalize(spend.Reserved));
                w.WriteNumber("remaining", Money.Normalize(Math.Max(0m, threshold - spend.Spent)));
                w.WriteString("period_start", start == DateTimeOffset.MinValue ? null : KeyJson.Time(start));
                w.WriteString("resets_at", BudgetPeriod.End(key.Retention, now) is { } end ? KeyJson.Time(end) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }).ConfigureAwait(false);
    }
}
