using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tollgate.Benchmarks.Rewrite;

/// <summary>Chat request bodies as clients send them: a small one-question request and a large agent turn with tools.</summary>
public static class ChatRequests
{
    /// <summary>About 300 bytes: the body the macro benchmark (bench/wrk/request.json) sends, plus a user id.</summary>
    public static byte[] Small { get; } =
        """
        {"model":"openai/gpt-4o-mini","messages":[{"role":"system","content":"You are a concise assistant. Answer in two sentences at most."},{"role":"user","content":"What is a toll gate, and why do roads have them?"}],"temperature":0.2,"max_tokens":120,"user":"bench-user-0001"}
        """u8.ToArray();

    /// <summary>About 20 KB: a coding-agent turn with a long system prompt, prior turns, tool calls and results, and 12 tools.</summary>
    public static byte[] Large { get; } = BuildLarge();

    private static byte[] BuildLarge()
    {
        var buffer = new ArrayBufferWriter<byte>(24 * 1024);
        // Escaped as clients' JSON libraries escape (quotes as \", not \u0022), so the bytes look like real traffic.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", "openai/gpt-4o-mini");
            w.WriteStartArray("messages");
            Message(w, "system", Repeat("You are a careful coding assistant working in a C# repository. Read files before you change them, keep changes small, and explain each step briefly. ", 12));
            for (var turn = 0; turn < 6; turn++)
            {
                Message(w, "user", $"Step {turn}: look at src/Tollgate.Gateway/Proxy/PassthroughProxy.cs and tell me where the request body is read, then suggest how to avoid copying it twice. " + Repeat("Keep the explanation short. ", 4));
                w.WriteStartObject();
                w.WriteString("role", "assistant");
                w.WriteNull("content");
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteString("id", $"call_{turn:D4}abcdefghijklmnop");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", "read_file");
                w.WriteString("arguments", $$"""{"path":"src/Tollgate.Gateway/Proxy/PassthroughProxy.cs","offset":{{turn * 400}},"limit":400}""");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject();
                w.WriteString("role", "tool");
                w.WriteString("tool_call_id", $"call_{turn:D4}abcdefghijklmnop");
                w.WriteString("content", Repeat("    var request = OpenAIRequestReader.Read(body.WrittenSpan, kind);\n    record.RequestedModel = request.Model;\n", 9));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("tools");
            string[] names = ["read_file", "write_file", "list_directory", "search_code", "run_tests", "run_build", "git_diff", "git_commit", "open_issue", "http_get", "format_code", "ask_user"];
            foreach (var name in names)
            {
                w.WriteStartObject();
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", name);
                w.WriteString("description", $"Runs {name} in the workspace and returns its output as text. Use it only when the task needs it; large outputs are cut.");
                w.WriteStartObject("parameters");
                w.WriteString("type", "object");
                w.WriteStartObject("properties");
                foreach (var (prop, type) in new[] { ("path", "string"), ("offset", "integer"), ("limit", "integer"), ("pattern", "string") })
                {
                    w.WriteStartObject(prop);
                    w.WriteString("type", type);
                    w.WriteString("description", $"The {prop} to use; see the tool's description for its meaning.");
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteStartArray("required");
                w.WriteStringValue("path");
                w.WriteEndArray();
                w.WriteBoolean("additionalProperties", false);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("tool_choice", "auto");
            w.WriteNumber("temperature", 0);
            w.WriteNumber("max_completion_tokens", 4096);
            w.WriteBoolean("parallel_tool_calls", true);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Message(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
