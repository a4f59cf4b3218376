using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>Reads the gateway's ledger through <c>GET /v1/requests</c>, waiting for the batched writer.</summary>
internal static class LedgerReader
{
    public static async Task<JsonObject> EntryAsync(DialectGateway gateway, string requestId)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var list = JsonNode.Parse(await gateway.Client.GetStringAsync("/v1/requests?limit=200"))!["data"]!.AsArray();
            foreach (var entry in list)
            {
                if (entry!["id"]!.GetValue<string>() == requestId)
                {
                    return entry.AsObject();
                }
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"No ledger entry {requestId}.");
    }

    public static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-tollgate-request-id").Single();
}
