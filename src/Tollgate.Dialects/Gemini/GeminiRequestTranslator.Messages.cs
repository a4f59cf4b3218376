using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Dialects.Gemini;

public static partial class GeminiRequestTranslator
{
    private sealed partial class Builder
    {
        private GeminiTranslationError? TranslateMessages()
        {
            if (root["messages"] is not JsonArray { Count: > 0 } messages)
            {
                return new("messages", "'messages' must be a non-empty array.");
            }

            for (var i = 0; i < messages.Count; i++)
            {
                if (messages[i] is not JsonObject message)
                {
                    return new($"messages[{i}]", "Each message must be an object.");
                }

                var error = Str(message["role"]) switch
                {
                    "system" or "developer" => SystemMessage(message, i),
                    "user" => UserMessage(message, i),
                    "assistant" => AssistantMessage(message, i),
                    "tool" => ToolMessage(messages, message, i),
                    "function" => FunctionMessage(message, i),
                    var role => new GeminiTranslationError($"messages[{i}].role", $"Unknown role '{role}'."),
                };
                if (error is not null)
                {
                    return error;
                }
            }

            if (_contents.Count == 0)
            {
                return new("messages", "Gemini needs at least one user or assistant message besides system messages.");
            }

            return null;
        }

        private GeminiTranslationError? SystemMessage(JsonObject message, int i)
        {
            var text = TextOf(message["content"], $"messages[{i}].content", out var error);
            if (error is not null)
            {
                return error;
            }

            if (!string.IsNullOrEmpty(text))
            {
                _systemParts.Add((JsonNode)new JsonObject { ["text"] = text });
            }

            return null;
        }

        private GeminiTranslationError? UserMessage(JsonObject message, int i)
        {
            var parts = new JsonArray();
            switch (message["content"])
            {
                case JsonValue v when v.TryGetValue<string>(out var text):
                    // Gemini rejects empty text parts.
                    if (text.Length > 0)
                    {
                        parts.Add((JsonNode)new JsonObject { ["text"] = text });
                    }

                    break;
                case JsonArray content:
                    for (var j = 0; j < content.Count; j++)
                    {
                        var error = ContentPart(content[j], parts, $"messages[{i}].content[{j}]");
                        if (error is not null)
                        {
                            return error;
                        }
                    }

                    break;
                default:
                    return new($"messages[{i}].content", "A user message needs content (a string or an array of parts).");
            }

            Append("user", parts);
            return null;
        }

        private GeminiTranslationError? AssistantMessage(JsonObject message, int i)
        {
            var parts = new JsonArray();
            switch (message["content"])
            {
                case JsonValue v when v.TryGetValue<string>(out var text):
                    if (text.Length > 0)
                    {
                        parts.Add((JsonNode)new JsonObject { ["text"] = text });
                    }

                    break;
                case JsonArray content:
                    for (var j = 0; j < content.Count; j++)
                    {
                        var part = content[j] as JsonObject;
                        var text = Str(At(part, "text")) ?? Str(At(part, "refusal"));
                        if (text is null)
                        {
                            return new($"messages[{i}].content[{j}]", "Assistant content parts must be text or refusal.");
                        }

                        parts.Add((JsonNode)new JsonObject { ["text"] = text });
                    }

                    break;
                case null:
                    break;
                default:
                    return new($"messages[{i}].content", "Assistant content must be a string, an array of parts or null.");
            }

            if (Str(At(At(message["extra_content"], "google"), "thought_signature")) is { } textSignature && parts.Count > 0)
            {
                parts[^1]!["thoughtSignature"] = textSignature;
            }

            if (message["tool_calls"] is JsonArray calls)
            {
                for (var j = 0; j < calls.Count; j++)
                {
                    var at = $"messages[{i}].tool_calls[{j}]";
                    if (calls[j] is not JsonObject call || call["function"] is not JsonObject fn || Str(fn["name"]) is not { } name)
                    {
                        return new(at, "A tool call needs a function with a name.");
                    }

                    if (!TryArgs(fn["arguments"], out var args))
                    {
                        return new(at + ".function.arguments", "Tool call arguments must be a JSON object encoded as a string.");
                    }

                    var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = args } };
                    var signature = Str(At(At(call["extra_content"], "google"), "thought_signature"))
                        ?? GeminiToolCallIds.SignatureFrom(Str(call["id"]));
                    // Only the first of parallel calls carries a signature, so only it needs the placeholder.
                    if (signature is null && j == 0 && options.SkipMissingSignatureValidation)
                    {
                        signature = GeminiTranslateOptions.SkipSignatureValidator;
                    }

                    if (signature is not null)
                    {
                        part["thoughtSignature"] = signature;
                    }

                    parts.Add((JsonNode)part);
                }
            }
            else if (message["function_call"] is JsonObject legacy && Str(legacy["name"]) is { } legacyName)
            {
                if (!TryArgs(legacy["arguments"], out var args))
                {
                    return new($"messages[{i}].function_call.arguments", "Function call arguments must be a JSON object encoded as a string.");
                }

                parts.Add((JsonNode)new JsonObject { ["functionCall"] = new JsonObject { ["name"] = legacyName, ["args"] = args } });
            }

            if (parts.Count > 0)
            {
                Append("model", parts);
            }

            return null;
        }

        private GeminiTranslationError? ToolMessage(JsonArray messages, JsonObject message, int i)
        {
            if (Str(message["tool_call_id"]) is not { } id)
            {
                return new($"messages[{i}].tool_call_id", "A tool message needs a tool_call_id.");
            }

            var name = FindToolName(messages, i, id);
            if (name is null)
            {
                return new($"messages[{i}].tool_call_id", $"No earlier assistant tool call has the id '{id}'.");
            }

            return FunctionResponse(name, message, i);
        }

        private GeminiTranslationError? FunctionMessage(JsonObject message, int i) =>
            Str(message["name"]) is { } name
                ? FunctionResponse(name, message, i)
                : new($"messages[{i}].name", "A function message needs a name.");

        private GeminiTranslationError? FunctionResponse(string name, JsonObject message, int i)
        {
            var text = TextOf(message["content"], $"messages[{i}].content", out var error);
            if (error is not null)
            {
                return error;
            }

            // Gemini wants an object; a JSON object result goes as is, anything else under "result".
            JsonObject response;
            JsonNode? parsed = null;
            try
            {
                parsed = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Plain text result.
            }

            response = parsed as JsonObject ?? new JsonObject { ["result"] = parsed is JsonArray or JsonValue ? parsed : text ?? string.Empty };
            Append("user", new JsonArray(new JsonObject
            {
                ["functionResponse"] = new JsonObject { ["name"] = name, ["response"] = response },
            }));
            return null;
        }

        private static string? FindToolName(JsonArray messages, int before, string id)
        {
            // The nearest earlier call wins, so ids reused across turns still resolve.
            for (var k = before - 1; k >= 0; k--)
            {
                if (messages[k] is JsonObject m && Str(m["role"]) == "assistant" && m["tool_calls"] is JsonArray calls)
                {
                    foreach (var call in calls)
                    {
                        if (call is JsonObject c && Str(c["id"]) == id)
                        {
                            return Str(At(c["function"], "name"));
                        }
                    }
                }
            }

            return null;
        }

        private GeminiTranslationError? ContentPart(JsonNode? node, JsonArray parts, string at)
        {
            if (node is not JsonObject part)
            {
                return new(at, "A content part must be an object.");
            }

            switch (Str(part["type"]))
            {
                case "text":
                    if (Str(part["text"]) is { Length: > 0 } text)
                    {
                        parts.Add((JsonNode)new JsonObject { ["text"] = text });
                    }

                    return null;
                case "image_url":
                    var url = Str(At(part["image_url"], "url")) ?? Str(part["image_url"]);
                    return url is null ? new(at + ".image_url.url", "An image part needs a url.") : Media(url, null, parts, at + ".image_url.url");
                case "input_audio":
                    if (Str(At(part["input_audio"], "data")) is not { } data)
                    {
                        return new(at + ".input_audio.data", "An audio part needs base64 data.");
                    }

                    var format = Str(At(part["input_audio"], "format")) ?? "wav";
                    parts.Add((JsonNode)InlineData("audio/" + format, data));
                    return null;
                case "file":
                    var file = part["file"] as JsonObject;
                    var filename = Str(At(file, "filename"));
                    if (Str(At(file, "file_data")) is { } fileData)
                    {
                        return fileData.StartsWith("data:", StringComparison.Ordinal)
                            ? Media(fileData, filename, parts, at + ".file.file_data")
                            : AddInline(parts, GuessMimeType(filename) ?? "application/pdf", fileData);
                    }

                    if (Str(At(file, "file_id")) is { } fileId)
                    {
                        var fd = new JsonObject();
                        if (GuessMimeType(filename ?? fileId) is { } fileMime)
                        {
                            fd["mimeType"] = fileMime;
                        }

                        fd["fileUri"] = fileId;
                        parts.Add((JsonNode)new JsonObject { ["fileData"] = fd });
                        return null;
                    }

                    return new(at + ".file", "A file part needs file_data or file_id.");
                case var type:
                    return new(at + ".type", $"Content parts of type '{type}' are not supported for Gemini models.");
            }
        }

        private static GeminiTranslationError? AddInline(JsonArray parts, string mime, string data)
        {
            parts.Add((JsonNode)InlineData(mime, data));
            return null;
        }

        private static GeminiTranslationError? Media(string url, string? filename, JsonArray parts, string at)
        {
            if (url.StartsWith("data:", StringComparison.Ordinal))
            {
                // data:[<mime>][;base64],<data>
                var comma = url.IndexOf(',', StringComparison.Ordinal);
                var header = comma < 0 ? string.Empty : url[5..comma];
                if (comma < 0 || !header.EndsWith(";base64", StringComparison.Ordinal))
                {
                    return new(at, "Only base64 data: URLs are supported.");
                }

                var mime = header[..^";base64".Length];
                parts.Add((JsonNode)InlineData(mime.Length > 0 ? mime : GuessMimeType(filename) ?? "application/octet-stream", url[(comma + 1)..]));
                return null;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return new(at, "The url must be an absolute URL or a data: URL.");
            }

            var fd = new JsonObject();
            if (GuessMimeType(uri.AbsolutePath) is { } guessed)
            {
                fd["mimeType"] = guessed;
            }
            else if (uri.Host.EndsWith("youtube.com", StringComparison.OrdinalIgnoreCase) || uri.Host == "youtu.be")
            {
                fd["mimeType"] = "video/*";
            }
            else
            {
                // Gemini requires a mime type for most URLs; images are what image_url parts usually carry.
                fd["mimeType"] = "image/jpeg";
            }

            fd["fileUri"] = url;
            parts.Add((JsonNode)new JsonObject { ["fileData"] = fd });
            return null;
        }

        private static JsonObject InlineData(string mime, string data) =>
            new() { ["inlineData"] = new JsonObject { ["mimeType"] = mime, ["data"] = data } };

        internal static string? GuessMimeType(string? path)
        {
            var ext = Path.GetExtension(path ?? string.Empty).ToLowerInvariant();
            return ext switch
            {
                ".png" => "image/png",
                ".jpg" or ".jpeg" => "image/jpeg",
                ".webp" => "image/webp",
                ".gif" => "image/gif",
                ".heic" => "image/heic",
                ".heif" => "image/heif",
                ".pdf" => "application/pdf",
                ".txt" => "text/plain",
                ".html" or ".htm" => "text/html",
                ".csv" => "text/csv",
                ".md" => "text/md",
                ".wav" => "audio/wav",
                ".mp3" => "audio/mp3",
                ".flac" => "audio/flac",
                ".ogg" => "audio/ogg",
                ".aac" => "audio/aac",
                ".mp4" => "video/mp4",
                ".mov" => "video/mov",
                ".webm" => "video/webm",
                _ => null,
            };
        }

        private void Append(string role, JsonArray parts)
        {
            if (parts.Count == 0)
            {
                return;
            }

            if (_contents.Count > 0 && _contents[^1] is JsonObject last && Str(last["role"]) == role && last["parts"] is JsonArray lastParts)
            {
                foreach (var p in parts.ToArray())
                {
                    parts.Remove(p);
                    lastParts.Add(p);
                }

                return;
            }

            _contents.Add((JsonNode)new JsonObject { ["role"] = role, ["parts"] = parts });
        }

        private static bool TryArgs(JsonNode? arguments, out JsonObject args)
        {
            args = new JsonObject();
            switch (arguments)
            {
                case null:
                    return true;
                case JsonObject o:
                    args = (JsonObject)o.DeepClone();
                    return true;
                case JsonValue v when v.TryGetValue<string>(out var text):
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        return true;
                    }

                    try
                    {
                        if (JsonNode.Parse(text) is JsonObject parsed)
                        {
                            args = parsed;
                            return true;
                        }
                    }
                    catch (JsonException)
                    {
                        // Reported by the caller.
                    }

                    return false;
                default:
                    return false;
            }
        }

        private static string? TextOf(JsonNode? content, string at, out GeminiTranslationError? error)
        {
            error = null;
            switch (content)
            {
                case null:
                    return null;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    return s;
                case JsonArray a:
                    var sb = new StringBuilder();
                    for (var j = 0; j < a.Count; j++)
                    {
                        if (Str(At(a[j], "text")) is not { } t)
                        {
                            error = new($"{at}[{j}]", "Only text parts are allowed here.");
                            return null;
                        }

                        sb.Append(t);
                    }

                    return sb.ToString();
                default:
                    error = new(at, "Content must be a string or an array of text parts.");
                    return null;
            }
        }
    }
}
