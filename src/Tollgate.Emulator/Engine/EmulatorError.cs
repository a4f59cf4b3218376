namespace Tollgate.Emulator.Engine;

/// <summary>An error the emulator answers with, in OpenAI's error shape.</summary>
internal sealed record EmulatorError(int Status, string Message, string Type, string? Param, string? Code)
{
    public static EmulatorError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, message, "invalid_request_error", param, code);

    /// <summary>The error OpenAI sends for a given status, used by the <c>status</c> knob.</summary>
    public static EmulatorError ForStatus(int status) => status switch
    {
        400 => InvalidRequest("Emulated bad request.", null, null),
        401 => new(401, "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"),
        403 => new(403, "You are not allowed to sample from this model.", "invalid_request_error", null, null),
        404 => new(404, "The model does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found"),
        408 => new(408, "Request timed out.", "timeout", null, null),
        409 => new(409, "Conflict: the request could not be completed.", "invalid_request_error", null, null),
        422 => new(422, "Unprocessable request.", "invalid_request_error", null, null),
        429 => new(429, "Rate limit reached for requests (emulated).", "requests", null, "rate_limit_exceeded"),
        503 => new(503, "The engine is currently overloaded, please try again later.", "server_error", null, null),
        >= 500 => new(status, "The server had an error while processing your request. Sorry about that!", "server_error", null, null),
        _ => new(status, "Emulated error.", "invalid_request_error", null, null),
    };
}
