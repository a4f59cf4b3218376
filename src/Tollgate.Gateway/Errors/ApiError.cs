using Microsoft.AspNetCore.Http;

namespace Tollgate.Gateway.Errors;

/// <summary>An error as OpenAI's API shapes it: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record ApiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    public static ApiError BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static ApiError NotFound(string message, string? param = null, string code = "model_not_found") =>
        new(StatusCodes.Status404NotFound, message, "invalid_request_error", param, code);

    public static ApiError Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, message, "invalid_request_error", null, "invalid_api_key");

    public static ApiError Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, message, "permission_error", null, "forbidden");

    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json";
        Upstreams.JsonShapes.WriteOpenAIError(context.Response.BodyWriter, Message, Type, Code, Param);
        return context.Response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }
}
