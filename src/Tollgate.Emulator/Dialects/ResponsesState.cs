using System.Collections.Concurrent;

namespace Tollgate.Emulator.Dialects;

/// <summary>
/// The responses an emulator instance has answered, so a <c>previous_response_id</c> it never made is a 404 as at
/// OpenAI, and one it made adds that conversation's prompt to the usage (OpenAI bills the whole chain as input).
/// Bounded: the oldest ids are forgotten past <see cref="Capacity"/>.
/// </summary>
internal sealed class ResponsesState
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, (long Tokens, string? UserText)> _prompts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Whether this instance answered <paramref name="id"/>.</summary>
    public bool Knows(string id) => _prompts.ContainsKey(id);

    /// <summary>The conversation's tokens up to and including <paramref name="id"/>'s output.</summary>
    public long PromptOf(string id) => _prompts.TryGetValue(id, out var state) ? state.Tokens : 0;

    /// <summary>The text of the conversation's last user message up to <paramref name="id"/>, if it had one.</summary>
    public string? LastUserTextOf(string id) => _prompts.TryGetValue(id, out var state) ? state.UserText : null;

    /// <summary>Remembers a response and the conversation's size after it.</summary>
    public void Remember(string id, long conversationTokens, string? lastUserText)
    {
        _prompts[id] = (conversationTokens, lastUserText);
        _order.Enqueue(id);
        while (_order.Count > Capacity && _order.TryDequeue(out var old))
        {
            _prompts.TryRemove(old, out _);
        }
    }
}
