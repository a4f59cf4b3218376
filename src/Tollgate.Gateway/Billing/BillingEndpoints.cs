using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Pricing;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Billing;

/// <summary>
/// Balance of the calling key in seed 004's shapes: <c>GET /v2/billing</c>, <c>GET /v2/billing/detail</c> and the
/// legacy <c>GET /v1/billing/balance</c>. The balance is the key's budget left this period (threshold minus
/// settled spend), in USD. A key without a budget, or the master key, is unlimited: <c>current_balance</c> is
/// null and <c>unlimited</c> is true.
/// </summary>
internal sealed class BillingEndpoints(Authenticator authenticator, AdmissionControl admission, TimeProvider time)
{
    public Task BalanceAsync(HttpContext context) => WriteAsync(context, static (w, b) =>
    {
        WriteBalance(w, "current_balance", b.Balance);
        w.WriteString("currency", "USD");
        if (b.Balance is null)
        {
            w.WriteBoolean("unlimited", true);
        }
    });

    public Task DetailAsync(HttpContext context) => WriteAsync(context, static (w, b) =>
    {
        w.WriteNull("user_id");
        w.WriteNull("email");
        WriteBalance(w, "current_balance", b.Balance);
        w.WriteString("currency", "USD");
        w.WriteStartObject("autotopup_settings");
        w.WriteBoolean("is_enabled", false);
        w.WriteNull("threshold");
        w.WriteNull("amount");
        w.WriteString("currency", "USD");
        w.WriteEndObject();
        w.WriteBoolean("unlimited", b.Balance is null);
        w.WriteString("key", b.Key?.Prefix);
        w.WriteStartObject("limit");
        w.WriteString("retention", b.Key?.Retention ?? KeyRetention.NoReset);
        WriteBalance(w, "threshold", b.Key?.Threshold);
        w.WriteEndObject();
        w.WriteNumber("spent", Money.Normalize(b.Spend.Spent));
        w.WriteNumber("reserved", Money.Normalize(b.Spend.Reserved));
        w.WriteString("period_start", b.PeriodStart is { } s && s != DateTimeOffset.MinValue ? KeyJson.Time(s) : null);
        w.WriteString("resets_at", b.ResetsAt is { } r ? KeyJson.Time(r) : null);
    });

    public Task LegacyBalanceAsync(HttpContext context) => WriteAsync(context, static (w, b) =>
    {
        WriteBalance(w, "balance", b.Balance);
        var low = b.Key?.Threshold is { } t ? t / 10 : (decimal?)null;
        w.WriteBoolean("lowBalance", b.Balance is { } bal && low is { } l && bal <= l);
        WriteBalance(w, "lowBalanceThreshold", low);
        w.WriteString("lastUpdated", KeyJson.Time(b.Now));
        w.WriteString("autoDebitStatus", "disabled");
        w.WriteString("status", b.Balance is null ? "unlimited" : "current");
        w.WriteString("statusExplanation", b.Balance is null
            ? "This key has no budget; its spend is not limited."
            : "Budget left this period, in USD, as of this request.");
    });

    private async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter, BalanceInfo> write)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        var info = new BalanceInfo { Now = now };
        if (caller.Virtual is { } key)
        {
            var spend = admission.Spend(key);
            info = info with
            {
                Key = key,
                Spend = spend,
                Balance = key.Threshold is { } t ? Math.Max(0m, t - spend.Spent) : null,
                PeriodStart = key.Threshold is null ? null : BudgetPeriod.Start(key.Retention, now),
                ResetsAt = key.Threshold is null ? null : BudgetPeriod.End(key.Retention, now),
            };
        }

        context.Response.ContentType = "application/json";
        var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        write(w, info);
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteBalance(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Money.Normalize(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private sealed record BalanceInfo
    {
        public DateTimeOffset Now { get; init; }
        public VirtualKey? Key { get; init; }
        public BudgetSnapshot Spend { get; init; }
        public decimal? Balance { get; init; }
        public DateTimeOffset? PeriodStart { get; init; }
        public DateTimeOffset? ResetsAt { get; init; }
    }
}
