using System.Diagnostics;

namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// Spans for the request pipeline: one per request (<see cref="StartRequest"/>, kind Server) and one per upstream
/// attempt (<see cref="StartAttempt"/>, kind Client), with GenAI attributes. Each returns null, at the cost of one
/// check, when nothing listens. While an attempt's span is current, .NET's HttpClient sends its W3C
/// <c>traceparent</c> to the upstream. Prompt and completion content is never put on a span: there is no parameter for it.
/// </summary>
public static class GatewayTracing
{
    public static readonly ActivitySource Source = new(GatewayTelemetry.SourceName, typeof(GatewayTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of a request, named as the conventions name it: <c>chat gpt-4o</c>.</summary>
    public static Activity? StartRequest(string operation, string? requestModel)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(requestModel is null ? operation : operation + " " + requestModel, ActivityKind.Server);
        activity?.SetTag(GatewayTelemetry.Attributes.OperationName, operation);
        activity?.SetTag(GatewayTelemetry.Attributes.RequestModel, requestModel);
        return activity;
    }

    /// <summary>Starts the span of one attempt at one deployment (<paramref name="attempt"/> counts from 1).</summary>
    public static Activity? StartAttempt(string operation, string provider, string model, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(operation + " " + model, ActivityKind.Client);
        activity?.SetTag(GatewayTelemetry.Attributes.OperationName, operation);
        activity?.SetTag(GatewayTelemetry.Attributes.ProviderName, provider);
        activity?.SetTag(GatewayTelemetry.Attributes.RequestModel, model);
        activity?.SetTag(GatewayTelemetry.Attributes.Attempt, attempt);
        return activity;
    }

    /// <summary>Ends a request's or an attempt's span with its outcome: status, usage, cost, error.</summary>
    public static void Finish(Activity? activity, in RequestTelemetry r)
    {
        Annotate(activity, r);
        activity?.Dispose();
    }

    /// <summary>
    /// Puts a request's outcome on its span without ending it (the settler knows the outcome before the response is
    /// written; the span ends when the request does). A span started before the model was known is named now.
    /// </summary>
    public static void Annotate(Activity? activity, in RequestTelemetry r)
    {
        if (activity is null)
        {
            return;
        }

        if (r.RequestModel is { } model && activity.GetTagItem(GatewayTelemetry.Attributes.RequestModel) is null)
        {
            activity.DisplayName = r.Operation + " " + model;
            activity.SetTag(GatewayTelemetry.Attributes.OperationName, r.Operation);
            activity.SetTag(GatewayTelemetry.Attributes.RequestModel, model);
        }

        activity.SetTag(GatewayTelemetry.Attributes.ProviderName, r.Provider);
        activity.SetTag(GatewayTelemetry.Attributes.ResponseModel, r.ResponseModel);
        activity.SetTag(GatewayTelemetry.Attributes.StatusCode, r.Status);
        activity.SetTag(GatewayTelemetry.Attributes.InputTokens, r.InputTokens);
        activity.SetTag(GatewayTelemetry.Attributes.OutputTokens, r.OutputTokens);
        activity.SetTag(GatewayTelemetry.Attributes.KeyId, r.KeyId);
        if (r.Cost is { } cost)
        {
            // A string keeps the decimal exact; a tag has no decimal type.
            activity.SetTag(GatewayTelemetry.Attributes.Cost, cost.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (r.ErrorType is { } error)
        {
            activity.SetTag(GatewayTelemetry.Attributes.ErrorType, error);
            activity.SetStatus(ActivityStatusCode.Error, error);
        }
    }

    /// <summary>
    /// Ends an attempt's span with what the upstream did: its status, and the failure (<c>connect</c>,
    /// <c>timeout</c>, <c>status</c>, <c>bad_response</c>, <c>circuit_open</c>) when it did not answer well.
    /// </summary>
    public static void EndAttempt(Activity? activity, int status, string? failure)
    {
        if (activity is null)
        {
            return;
        }

        if (status != 0)
        {
            activity.SetTag(GatewayTelemetry.Attributes.StatusCode, status);
        }

        if (failure is not null)
        {
            activity.SetTag(GatewayTelemetry.Attributes.ErrorType, failure);
            activity.SetStatus(ActivityStatusCode.Error, failure);
        }

        activity.Dispose();
    }
}
