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

    [Theory]
    // A bare name resolves as chat resolves it: to the one enabled provider that serves it.
    [InlineData("gpt-4o-mini", "openai/gpt-4o-mini")]
    [InlineData("gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini")]
    [InlineData("llama-3.3-70b-versatile", "groq/llama-3.3-70b-versatile")]
    [InlineData("demo-chat", "demo/demo-chat")]
    public async Task Get_BareName_ResolvesAsChatDoes(string requested, string id)
    {
        using var response = await fx.GetAsync("/v1/models/" + requested);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (string?)(await E2E.JsonAsync(response))["id"]);

        // Chat accepts the same name.
        using var chat = await fx.PostAsync("/v1/chat/completions", $$"""{"model":"{{requested}}","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task GetModel_Sdk_BareName()
    {
        var model = (await fx.Models().GetModelAsync("gpt-4o-mini")).Value;

        Assert.Equal("openai/gpt-4o-mini", model.Id);
        Assert.Equal("openai", model.OwnedBy);
    }

    [Fact]
    public async Task Get_CommunityModel_HasSourceUnitPricesAndLimits()
    {
        // dall-e-3 is priced only in LiteLLM's file: input_cost_per_image 0.04, hd 1024x1792 at 6.539e-08 x 1,835,008 pixels.
        using var response = await fx.GetAsync("/v1/models/openai/dall-e-3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await E2E.JsonAsync(response);

        Assert.Equal("image", (string?)model["mode"]);
        Assert.Equal("litellm-model-prices-2026-08.json", (string?)model["source"]!["file"]);
        Assert.Equal("2026-08", (string?)model["source"]!["date"]);
        Assert.Equal("dall-e-3", (string?)model["source"]!["key"]);
        var units = model["pricing"]!["units"]!;
        Assert.Equal(0.04m, units["image"]!.GetValue<decimal>());
        var hd = units["images"]!.AsArray().Single(i => (string?)i!["quality"] == "hd" && (string?)i["size"] == "1024x1792")!;
        Assert.Equal(0.11999117312m, hd["price"]!.GetValue<decimal>());

        // A community chat model: limits and its long-context rates (claude-sonnet-4-6 is not in the test catalog).
        using var gpt = await fx.GetAsync("/v1/models/openai/gpt-5.4");
        var gpt54 = await E2E.JsonAsync(gpt);
        Assert.Equal(1_050_000, gpt54["context_length"]!.GetValue<long>());
        Assert.Equal(272_000, gpt54["pricing"]!["long_context"]!["threshold_tokens"]!.GetValue<long>());
        Assert.Equal(5m, gpt54["pricing"]!["long_context"]!["input"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Get_SeedModelWithoutLimitsInTheSeed_HasTheCommunitysLimits()
    {
        // openai/gpt-4.1: the seed states no context length; LiteLLM's "gpt-4.1" gives 1,047,576 / 32,768.
        using var response = await fx.GetAsync("/v1/models/openai/gpt-4.1");
        var model = await E2E.JsonAsync(response);

        Assert.Equal(1_047_576, model["context_length"]!.GetValue<long>());
        Assert.Equal(32_768, model["max_output_tokens"]!.GetValue<long>());
        Assert.Equal("000_8b2dea290987c8e8.txt", (string?)model["source"]!["file"]);
        Assert.Equal("litellm-model-prices-2026-08.json", (string?)model["filled_from"]!["file"]);
        Assert.Equal(2m, model["pricing"]!["input"]!.GetValue<decimal>());
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
    [InlineData("no-such-model")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct-Turbo")]
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
