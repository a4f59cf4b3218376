using System.Security.Cryptography;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Chat;

/// <summary>Decides the reply, usage, chunking and pacing of a chat completion from the request, knobs and options.</summary>
internal static class ChatPlanner
{
    private const int DefaultLoremWords = 16;
    private const int MaxLoremWords = 100_000;
    private const int ArgumentPieceChars = 8;

    public static ChatPlan? Plan(ChatRequest request, EmulatorKnobs knobs, EmulatorOptions options, out EmulatorError? error)
    {
        error = null;
        var tool = PickTool(request, knobs, out error);
        if (error is not null)
        {
            return null;
        }

        string? content = null;
        ToolCallPlan? toolCall = null;
        string finishReason;
        long visibleTokens;
        List<string> pieces;

        if (tool is not null)
        {
            if (knobs.ToolArgs is { } arguments)
            {
                tool = tool with { Arguments = arguments };
            }

            toolCall = new ToolCallPlan(ToolCallId(tool.Name, tool.Arguments), tool.Name, tool.Arguments);
            finishReason = "tool_calls";
            visibleTokens = TokenEstimate.FromChars(tool.Name.Length + tool.Arguments.Length) + 1;
            pieces = knobs.Chunks is { } n
                ? ReplyText.SplitEvenly(tool.Arguments, n)
                : ReplyText.SplitEvenly(tool.Arguments, Math.Max(1, (tool.Arguments.Length + ArgumentPieceChars - 1) / ArgumentPieceChars));
        }
        else
        {
            content = Reply(request, knobs, options, out finishReason, out var words);
            visibleTokens = words;
            pieces = knobs.Chunks is { } n ? ReplyText.SplitEvenly(content, n) : ReplyText.SplitWords(content);
        }

        var reasoning = knobs.ReasoningTokens ?? 0;
        var completion = knobs.CompletionTokens ?? visibleTokens + reasoning;
        var prompt = knobs.PromptTokens ?? request.PromptTokenEstimate;
        var cached = knobs.CachedTokens ?? 0;
        if (reasoning > completion)
        {
            error = EmulatorError.InvalidRequest(
                "Invalid 'emulator.reasoning_tokens': reasoning tokens are a part of completion tokens and cannot exceed them.",
                "emulator.reasoning_tokens", "invalid_value");
            return null;
        }

        var writes5m = knobs.CacheWrite5mTokens ?? 0;
        var writes1h = knobs.CacheWrite1hTokens ?? 0;
        if (cached + writes5m + writes1h > prompt)
        {
            error = EmulatorError.InvalidRequest(
                "Invalid 'emulator.cache_write_5m_tokens' / 'emulator.cache_write_1h_tokens': cache reads and writes are parts of prompt tokens and cannot exceed them together.",
                "emulator.cache_write_5m_tokens", "invalid_value");
            return null;
        }

        if (cached > prompt)
        {
            error = EmulatorError.InvalidRequest(
                "Invalid 'emulator.cached_tokens': cached tokens are a part of prompt tokens and cannot exceed them.",
                "emulator.cached_tokens", "invalid_value");
            return null;
        }

        var tps = knobs.TokensPerSecond ?? options.DefaultTokensPerSecond;
        var generation = tps > 0 ? TimeSpan.FromSeconds(completion / tps) : TimeSpan.Zero;

        return new ChatPlan
        {
            Id = "chatcmpl-" + RandomId(29),
            Created = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds(),
            Model = request.Model,
            Stream = request.Stream,
            IncludeUsage = request.IncludeUsage,
            Content = content,
            ToolCall = toolCall,
            FinishReason = finishReason,
            Usage = knobs.Fault == EmulatorFault.NoUsage ? null : new EmulatorUsage(prompt, completion, cached, reasoning) { CacheWrite5mTokens = writes5m, CacheWrite1hTokens = writes1h },
            Pieces = pieces,
            Ttft = TimeSpan.FromMilliseconds(knobs.TtftMs ?? 0),
            ChunkInterval = pieces.Count > 0 ? generation / pieces.Count : TimeSpan.Zero,
            Cut = knobs.Fault == EmulatorFault.Cut,
            Stall = knobs.Fault == EmulatorFault.StallStream ? knobs.StallDuration : null,
            Thinking = request.Thinking,
        };
    }

    private static ToolDefinition? PickTool(ChatRequest request, EmulatorKnobs knobs, out EmulatorError? error)
    {
        error = null;
        if (request.Tools.Count == 0 || request.ToolChoice == ToolChoiceKind.None)
        {
            return null;
        }

        var wanted = request.ToolChoice == ToolChoiceKind.Named ? request.ToolChoiceName : knobs.Tool;
        if (request.ToolChoice == ToolChoiceKind.Auto && (wanted is null || !request.EndsWithUser))
        {
            // Under "auto" a tool is called only when asked for, and only in answer to a user turn, so an
            // agent loop that sends the tool result back gets a text answer instead of calling forever.
            return null;
        }

        if (wanted is null)
        {
            return request.Tools[0];
        }

        foreach (var tool in request.Tools)
        {
            if (tool.Name == wanted)
            {
                return tool;
            }
        }

        var param = request.ToolChoice == ToolChoiceKind.Named ? "tool_choice" : "emulator.tool";
        error = EmulatorError.InvalidRequest($"Invalid '{param}': no function named '{wanted}' in 'tools'.", param, "invalid_value");
        return null;
    }

    private static string Reply(ChatRequest request, EmulatorKnobs knobs, EmulatorOptions options, out string finishReason, out int words)
    {
        var max = request.MaxTokens ?? int.MaxValue;
        if (knobs.Reply == "lorem")
        {
            // Lorem is sized by completion_tokens, else max tokens (a model that ran out), else a short default.
            var wanted = (int)Math.Min(knobs.CompletionTokens ?? request.MaxTokens ?? DefaultLoremWords, MaxLoremWords);
            words = Math.Min(wanted, max);
            finishReason = request.MaxTokens is not null && wanted >= max ? "length" : "stop";
            return ReplyText.LoremWords(words);
        }

        if (request.StructuredReply is { } json && knobs.Reply != "echo")
        {
            finishReason = "stop";
            words = (int)TokenEstimate.FromChars(json.Length);
            return json;
        }

        var text = knobs.Reply != "echo" && options.ReplyText is not null
            ? options.ReplyText
            : request.LastUserText.Length > 0 ? "Echo: " + request.LastUserText : "Echo.";
        text = ReplyText.TruncateWords(text, options.MaxReplyWords, out _, out _);
        text = ReplyText.TruncateWords(text, max, out words, out var truncated);
        finishReason = truncated ? "length" : "stop";
        return text;
    }

    // Deterministic per call, so a repeated request produces an identical tool call.
    private static string ToolCallId(string name, string arguments)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name + "\n" + arguments));
        return "call_" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    private static string RandomId(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
