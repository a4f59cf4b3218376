using System.ClientModel;
using System.Net;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{provider/model}</c>.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ModelsEndpointTests(GatewayFixture fx)
{
    [Fact]
    public async Task List_Raw_OpenAIListShapeOnlyEnabledProvidersWithLimitsAndPricing()
    {
        using var response = await fx.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await E2E.JsonAsync(response);
        Assert.Equal("list", (string?)body["object"]);
        var data = body["data"]!.AsArray().Select(m => m!.AsObject()).ToList();

        var enabled = GatewayFixture.EmulatedProviders.Append("demo").Append("dead").ToHashSet();
        Assert.All(data, m =>
        {
            Assert.Equal("model", (string?)m["object"]);
            var owner = (string)m["owned_by"]!;
            Assert.Contains(owner, enabled);
            Assert.StartsWith(owner + "/", (string)m["id"]!, StringComparison.Ordinal);
            Assert.True(m.ContainsKey("context_length"));
            Assert.True(m.ContainsKey("max_output_tokens"));
            var pricing = m["pricing"]!.AsObject();
            Assert.True(pricing["input"]!.GetValue<decimal>() >= 0);
            Assert.True(pricing["cached_input"]!.GetValue<decimal>() >= 0);
            Assert.True(pricing["output"]!.GetValue<decimal>() >= 0);
        });

        // One model of every emulated provider is listed; together's is in the catalog but the provider is off.
        var ids = data.Select(m => (string)m["id"]!).ToHashSet();
        Assert.Equal(data.Count, ids.Count);
        foreach (var id in new[] { "openai/gpt-4o", "openai/gpt-4o-mini", "groq/llama-3.3-70b-versatile", "groq/openai/gpt-oss-120b", "deepseek/deepseek-chat", "moonshot/kimi-k2-0905-preview", "mistral/mistral-large-2512", "xai/grok-4", "zhipu/glm-4.6", "demo/demo-chat" })
        {
            Assert.Contains(id, ids);
        }

        Assert.DoesNotContain(ids, id => id.StartsWith("together/", StringComparison.Ordinal));

        // Values come from the catalog entry; a model without a cached price shows its input price as cached_input.
        var llama = data.Single(m => (string?)m["id"] == "groq/llama-3.3-70b-versatile");
        Assert.Equal(131072, llama["context_length"]!.GetValue<long>());
        Assert.Equal(32768, llama["max_output_tokens"]!.GetValue<long>());
        Assert.Equal(0.59m, llama["pricing"]!["input"]!.GetValue<decimal>());
        Assert.Equal(0.59m, llama["pricing"]!["cached_input"]!.GetValue<decimal>());
        Assert.Equal(0.79m, llama["pricing"]!["output"]!.GetValue<decimal>());

        var gpt4o = data.Single(m => (string?)m["id"] == "openai/gpt-4o");
        Assert.Equal(2.5m, gpt4o["pricing"]!["input"]!.GetValue<decimal>());
        Assert.Equal(1.25m, gpt4o["pricing"]!["cached_input"]!.GetValue<decimal>());
        Assert.Equal(10m, gpt4o["pricing"]!["output"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GetModels_Sdk_ParsesTheList()
    {
        var models = (await fx.Models().GetModelsAsync()).Value;
        var oss = Assert.Single(models, m => m.Id == "groq/openai/gpt-oss-120b");
        Assert.Equal("groq", oss.OwnedBy);
        Assert.DoesNotContain(models, m => m.OwnedBy == "together");
    }

    [Theory]
    [InlineData("groq/openai/gpt-oss-120b", "groq/openai/gpt-oss-120b", "groq")]
    [InlineData("openai/gpt-4o", "openai/gpt-4o", "openai")]
    [InlineData("openai/gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini", "openai")]
    public async Task Get_Raw_ModelIdWithSlashes(string requested, string id, string owner)
    {
        using var response = await fx.GetAsync("/v1/models/" + requested);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await E2E.JsonAsync(response);
        Assert.Equal(id, (string?)model["id"]);
        Assert.Equal(owner, (string?)model["owned_by"]);
        Assert.NotNull(model["pricing"]);
    }

    [Fact]
    public async Task GetModel_Sdk_IdWithSlashes()
    {
        var model = (await fx.Models().GetModelAsync("groq/openai/gpt-oss-120b")).Value;
        Assert.Equal("groq/openai/gpt-oss-120b", model.Id);
        Assert.Equal("groq", model.OwnedBy);
    }

    [Theory]
    [InlineData("openai/no-such-model")]
    [InlineData("together/meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("gpt-4o")]
    public async Task Get_Unknown_Is404(string id)
    {
        using var response = await fx.GetAsync("/v1/models/" + id);
        await E2E.AssertErrorAsync(response, 404);
    }

    [Fact]
    public async Task GetModel_SdkUnknown_Throws404()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => fx.Models().GetModelAsync("openai/no-such-model"));
        Assert.Equal(404, ex.Status);
    }

    [Fact]
    public async Task List_NoKey_Is401()
    {
        using var response = await fx.GetAsync("/v1/models", key: null);
        await E2E.AssertErrorAsync(response, 401);
    }

    [Fact]
    public async Task Health_NoKey_IsOk()
    {
        using var response = await fx.GetAsync("/health", key: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)(await E2E.JsonAsync(response))["status"]);
    }
}
