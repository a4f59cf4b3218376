using Microsoft.AspNetCore.Http;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Faults;

/// <summary>
/// The control endpoints of an instance: <c>GET</c> / <c>POST</c> / <c>DELETE /_emulator/faults</c> read, replace and clear
/// its fault rule; <c>GET</c> / <c>DELETE /_emulator/requests</c> read and zero its request counters. Every answer is the
/// resource's JSON after the change; a bad rule is a 400 in OpenAI's error shape naming the field.
/// </summary>
internal static class ControlApi
{
    public static EmulatorResponse Handle(EmulatorRequest request, EmulatorControl control)
    {
        if (request.Operation == EmulatorOperation.ControlRequests)
        {
            if (HttpMethods.IsDelete(request.Method))
            {
                control.ResetRequestCounts();
            }

            return Json(200, OpenAiJson.Write(control, static (w, c) => c.WriteRequests(w)));
        }

        if (HttpMethods.IsPost(request.Method))
        {
            if (EmulatorFaultRule.TryParse(request.Body, out var error) is not { } rule)
            {
                return Json(error!.Status, OpenAiJson.Error(error));
            }

            control.SetFaults(rule);
        }
        else if (HttpMethods.IsDelete(request.Method))
        {
            control.ClearFaults();
        }

        return Json(200, OpenAiJson.Write(control, static (w, c) => c.WriteFaults(w)));
    }

    private static EmulatorResponse Json(int status, ReadOnlyMemory<byte> body) => new()
    {
        StatusCode = status,
        WriteBodyAsync = (stream, ct) => stream.WriteAsync(body, ct).AsTask(),
    };
}
