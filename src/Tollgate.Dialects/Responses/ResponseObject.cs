using System.Text.Json.Nodes;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Responses;

/// <summary>
/// Builds the Responses API's <c>response</c> object, the same for a whole answer and for the stream's
/// <c>response.created</c> / <c>response.completed</c> events: id, status, the output items, usage with cost, and the
/// request's settings repeated as OpenAI repeats them.
/// </summary>
public sealed class ResponseObject(string id, long createdAt, string model, JsonObject echo)
{
    /// <summary>The response's id (<c>resp_...</c>).</summary>
    public string Id { get; } = id;

    /// <summary>The output items so far.</summary>
    public JsonArray Output { get; } = [];

    /// <summary><c>in_progress</c>, <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "in_progress";

    /// <summary>Why an incomplete response stopped (<c>max_output_tokens</c>, <c>content_filter</c>).</summary>
    public string? IncompleteReason { get; set; }

    /// <summary>The error of a failed response.</summary>
    public (string Code, string Message)? Error { get; set; }

    /// <summary>The usage, once known.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>The cost of <see cref="Usage"/>.</summary>
    public decimal? Cost { get; set; }

    /// <summary>A new response id.</summary>
    public static string NewId() => "resp_" + Guid.NewGuid().ToString("N");

    /// <summary>A new output item id with its type's prefix (<c>msg</c>, <c>fc</c>, <c>rs</c>).</summary>
    public static string NewItemId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    /// <summary>The status of a finished chat answer: <c>length</c> and <c>content_filter</c> end incomplete.</summary>
    public void Finish(string? finishReason)
    {
        (Status, IncompleteReason) = finishReason switch
        {
            "length" => ("incomplete", "max_output_tokens"),
            "content_filter" => ("incomplete", "content_filter"),
            _ => ("completed", null),
        };
    }

    /// <summary>The object as JSON, with the output items as they are now.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["object"] = "response",
            ["created_at"] = createdAt,
            ["status"] = Status,
            ["background"] = false,
            ["error"] = Error is { } e ? new JsonObject { ["code"] = e.Code, ["message"] = e.Message } : null,
            ["incomplete_details"] = IncompleteReason is { } reason ? new JsonObject { ["reason"] = reason } : null,
            ["model"] = model,
            ["output"] = Output.DeepClone(),
        };
        foreach (var (name, value) in echo)
        {
            json[name] = value?.DeepClone();
        }

        json["usage"] = Usage is { } usage ? ResponsesUsage.ToJson(usage, Cost) : null;
        return json;
    }
}
