using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OpenAI;
using OpenAI.Chat;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>
/// The README's "Call it" examples, as written, against the zero-configuration gateway they follow: no provider key,
/// no master key set (the gateway generates one into its data directory), the demo provider only. The model names
/// and calls are read from README.md itself, so the README cannot drift from what works.
/// </summary>
public sealed partial class ReadmeExamplesTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "tollgate-readme-" + Guid.NewGuid().ToString("N"));
    private RunningGateway? _gateway;

    private RunningGateway Gateway => _gateway!;

    public async Task InitializeAsync()
    {
        var env = new Dictionary<string, string> { ["TOLLGATE_DATA_DIR"] = _dataDir };
        var options = GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), null);
        Assert.True(options.Demo);
        _gateway = await RunningGateway.StartAsync(options, _logs);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Curl_AsWritten_Answers200WithCost()
    {
        var model = Match(Block("bash", "curl http://127.0.0.1:4000/v1/chat/completions"), "\"model\":\"([^\"]+)\"");

        using var response = await ChatAsync(model);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(E2E.Cost((await E2E.JsonAsync(response))["usage"]));
    }

    [Fact]
    public async Task Python_ItsRequest_Answers200WithTheFieldsItReads()
    {
        // The snippet calls client.chat.completions.create(model=..., messages=[user "Hello"]) against base_url/v1 with
        // the master key from data/master.key, then reads choices[0].message.content and usage's extra field "cost".
        var python = Block("python", "from openai import OpenAI");
        Assert.Contains("base_url=\"http://127.0.0.1:4000/v1\"", python, StringComparison.Ordinal);
        Assert.Contains("open(\"data/master.key\")", python, StringComparison.Ordinal);
        var model = Match(python, "model=\"([^\"]+)\"");

        using var response = await ChatAsync(model);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await E2E.JsonAsync(response);
        Assert.False(string.IsNullOrEmpty((string?)body["choices"]![0]!["message"]!["content"]));
        Assert.NotNull(E2E.Cost(body["usage"]));
    }

    [Fact]
    public async Task CSharp_AsWritten_WithTheOfficialSdk()
    {
        var csharp = Block("csharp", "using OpenAI;");
        var model = Match(csharp, "new ChatClient\\(\"([^\"]+)\"");
        Assert.Contains("CompleteChatAsync(\"Hello\")", csharp, StringComparison.Ordinal);
        var masterKey = MasterKey();

        // The snippet's own lines, with the endpoint moved to the test gateway's port.
        var client = new ChatClient(model, new ApiKeyCredential(masterKey), new OpenAIClientOptions { Endpoint = Gateway.V1 });
        ChatCompletion reply = await client.CompleteChatAsync("Hello");

        Assert.False(string.IsNullOrEmpty(reply.Content[0].Text));
    }

    private async Task<HttpResponseMessage> ChatAsync(string model)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.V1 + "/chat/completions"))
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey());
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The key the README reads: data/master.key, generated on first start.</summary>
    private string MasterKey() => File.ReadAllText(Path.Combine(_dataDir, "master.key")).Trim();

    /// <summary>The README's fenced block of <paramref name="language"/> that contains <paramref name="marker"/>.</summary>
    private static string Block(string language, string marker)
    {
        var readme = File.ReadAllText(FindReadme());
        var blocks = FencedBlock().Matches(readme).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value);
        return Assert.Single(blocks, b => b.Contains(marker, StringComparison.Ordinal));
    }

    private static string Match(string text, string pattern)
    {
        var m = Regex.Match(text, pattern);
        Assert.True(m.Success, $"'{pattern}' not found in:\n{text}");
        return m.Groups[1].Value;
    }

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("README.md was not found above the test binaries.");
    }

    [GeneratedRegex("```(\\w+)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
