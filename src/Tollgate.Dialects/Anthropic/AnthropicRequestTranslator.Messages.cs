using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Dialects.Anthropic;

// Messages and content parts: roles, merging, media, tool calls and results.
public static partial class AnthropicRequestTranslator
{
    private static bool TranslateMessage(JsonNode? node, int index, JsonArray system, JsonArray messages, Context context)
    {
        var param = $"messages[{index}]";
        if (node is not JsonObject message || message["role"] is not JsonValue roleValue || !roleValue.TryGetValue<string>(out var role))
        {
            return context.Fail(param, "Each message must be an object with a 'role'.");
        }

        var blocks = new JsonArray();
        switch (role)
        {
            case "system" or "developer":
                if (!AppendContent(message, param, system, allowMedia: false, context))
                {
                    return false;
                }

                return true;

            case "user":
                if (!AppendContent(message, param, blocks, allowMedia: true, context))
                {
                    return false;
                }

                // Anthropic rejects a turn without content (e.g. a client sending an empty string).
                if (blocks.Count > 0)
                {
                    Append(messages, "user", blocks);
                }

                return true;

            case "assistant":
                if (message["thinking_blocks"] is JsonArray thinkingBlocks)
                {
                    for (var i = 0; i < thinkingBlocks.Count; i++)
                    {
                        if (thinkingBlocks[i] is not JsonObject tb || (string?)tb["type"] is not ("thinking" or "redacted_thinking"))
                        {
                            return context.Fail($"{param}.thinking_blocks[{i}]", "A thinking block must have type 'thinking' or 'redacted_thinking'.");
                        }

                        blocks.Add(tb.DeepClone());
                    }
                }

                if (message["content"] is not null && !AppendContent(message, param, blocks, allowMedia: false, context))
                {
                    return false;
                }

                if (message["tool_calls"] is JsonArray toolCalls)
                {
                    for (var i = 0; i < toolCalls.Count; i++)
                    {
                        if (!TranslateToolCall(toolCalls[i], $"{param}.tool_calls[{i}]", blocks, context))
                        {
                            return false;
                        }
                    }
                }

                // Anthropic rejects an assistant turn with no content (e.g. a client echoing an empty message).
                if (blocks.Count > 0)
                {
                    Append(messages, "assistant", blocks);
                }

                return true;

            case "tool":
                if (message["tool_call_id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var toolCallId))
                {
                    return context.Fail($"{param}.tool_call_id", "A tool message needs a 'tool_call_id'.");
                }

                var resultContent = new JsonArray();
                if (!AppendContent(message, param, resultContent, allowMedia: true, context))
                {
                    return false;
                }

                var result = new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = toolCallId };
                if (resultContent.Count > 0)
                {
                    result["content"] = resultContent;
                }

                blocks.Add((JsonNode)result);
                Append(messages, "user", blocks);
                return true;

            default:
                return context.Fail($"{param}.role", $"Unsupported role '{role}'.");
        }
    }

    /// <summary>Adds a turn, merging it into the previous one when the role repeats (Anthropic requires alternation).</summary>
    private static void Append(JsonArray messages, string role, JsonArray blocks)
    {
        if (messages.Count > 0 && messages[^1] is JsonObject last && (string?)last["role"] == role && last["content"] is JsonArray existing)
        {
            // Tool results must come first in a user turn: a result following plain user text goes before it.
            var insertAt = existing.Count;
            if (role == "user" && blocks.Count > 0 && (string?)blocks[0]!["type"] == "tool_result")
            {
                insertAt = 0;
                while (insertAt < existing.Count && (string?)existing[insertAt]!["type"] == "tool_result")
                {
                    insertAt++;
                }
            }

            while (blocks.Count > 0)
            {
                // A node has one parent: detach it before moving it into the earlier turn.
                var block = blocks[0];
                blocks.RemoveAt(0);
                existing.Insert(insertAt++, block);
            }

            return;
        }

        messages.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = blocks });
    }

    private static bool AppendContent(JsonObject message, string param, JsonArray blocks, bool allowMedia, Context context)
    {
        switch (message["content"])
        {
            case null:
                return true;
            case JsonValue value when value.TryGetValue<string>(out var text):
                if (text.Length > 0)
                {
                    var block = new JsonObject { ["type"] = "text", ["text"] = text };
                    if (message["cache_control"] is JsonObject messageCache)
                    {
                        block["cache_control"] = messageCache.DeepClone();
                    }

                    blocks.Add((JsonNode)block);
                }

                return true;
            case JsonArray parts:
                for (var i = 0; i < parts.Count; i++)
                {
                    if (!TranslatePart(parts[i], $"{param}.content[{i}]", blocks, allowMedia, context))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return context.Fail($"{param}.content", "Content must be a string or an array of parts.");
        }
    }

    private static bool TranslatePart(JsonNode? node, string param, JsonArray blocks, bool allowMedia, Context context)
    {
        if (node is not JsonObject part)
        {
            return context.Fail(param, "A content part must be an object.");
        }

        JsonObject block;
        switch ((string?)part["type"])
        {
            case "text":
            case "refusal":
                var text = (string?)part["text"] ?? (string?)part["refusal"] ?? string.Empty;
                if (text.Length == 0)
                {
                    // Anthropic rejects empty text blocks.
                    return true;
                }

                block = new JsonObject { ["type"] = "text", ["text"] = text };
                break;

            case "image_url" when allowMedia:
                var url = part["image_url"] is JsonObject imageUrl ? (string?)imageUrl["url"] : (string?)part["image_url"];
                if (string.IsNullOrEmpty(url))
                {
                    return context.Fail($"{param}.image_url.url", "An image part needs a URL.");
                }

                if (url.StartsWith("data:", StringComparison.Ordinal))
                {
                    if (!TryParseDataUrl(url, out var mediaType, out var data))
                    {
                        return context.Fail($"{param}.image_url.url", "Only base64 data URLs are supported.");
                    }

                    block = new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = data } };
                }
                else if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    block = new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "url", ["url"] = url } };
                }
                else
                {
                    return context.Fail($"{param}.image_url.url", "Image URLs must be http(s) or base64 data URLs.");
                }

                break;

            case "file" when allowMedia:
                var fileData = (string?)part["file"]?["file_data"];
                if (fileData is null)
                {
                    return context.Fail($"{param}.file", "Only inline files (file_data) are supported; file_id is not.");
                }

                if (!TryParseDataUrl(fileData, out var fileType, out var fileBase64) || fileType != "application/pdf")
                {
                    return context.Fail($"{param}.file.file_data", "Only PDF documents as base64 data URLs (data:application/pdf;base64,...) are supported.");
                }

                block = new JsonObject { ["type"] = "document", ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = fileType, ["data"] = fileBase64 } };
                if ((string?)part["file"]?["filename"] is { Length: > 0 } filename)
                {
                    block["title"] = filename;
                }

                break;

            default:
                return context.Fail($"{param}.type", $"Content part type '{(string?)part["type"]}' is not supported here.");
        }

        if (part["cache_control"] is JsonObject cacheControl)
        {
            block["cache_control"] = cacheControl.DeepClone();
        }

        blocks.Add((JsonNode)block);
        return true;
    }

    private static bool TryParseDataUrl(string url, out string mediaType, out string data)
    {
        // data:<media type>;base64,<data>
        mediaType = string.Empty;
        data = string.Empty;
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (!url.StartsWith("data:", StringComparison.Ordinal) || comma < 0)
        {
            return false;
        }

        var header = url.AsSpan(5, comma - 5);
        const string base64Suffix = ";base64";
        if (!header.EndsWith(base64Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        mediaType = header[..^base64Suffix.Length].ToString();
        data = url[(comma + 1)..];
        return mediaType.Length > 0;
    }

    private static bool TranslateToolCall(JsonNode? node, string param, JsonArray blocks, Context context)
    {
        if (node is not JsonObject call || (string?)call["id"] is not { } id || call["function"] is not JsonObject function || (string?)function["name"] is not { } name)
        {
            return context.Fail(param, "A tool call needs an id and function.name.");
        }

        var arguments = (string?)function["arguments"];
        JsonNode input;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            input = new JsonObject();
        }
        else
        {
            try
            {
                input = JsonNode.Parse(arguments) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                return context.Fail($"{param}.function.arguments", "Tool call arguments must be a JSON object.");
            }
        }

        blocks.Add((JsonNode)new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input });
        return true;
    }
}
