using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator;

/// <summary>
/// Serves the emulator in process, without a socket, for an <see cref="HttpClient"/> with any base
/// address. Paths are matched by suffix (<c>/chat/completions</c>, <c>/embeddings</c>, <c>/models</c>,
/// <c>/_emulator/faults</c>, ...). Handlers built from the same <see cref="EmulatorOptions"/> are one instance
/// (one fault rule, one set of request counters).
/// Bodies stream through a pipe written in the background, so latency, time to first token, pacing
/// and <c>cut</c> (an <see cref="IOException"/> mid-read) behave as over the network.
/// </summary>
public sealed class EmulatorHandler : HttpMessageHandler
{
    private readonly EmulatorEngine _engine;

    /// <summary>Creates a handler with the given server-wide defaults.</summary>
    /// <param name="options">Server-wide defaults; null uses <see cref="EmulatorOptions"/> defaults.</param>
    public EmulatorHandler(EmulatorOptions? options = null)
    {
        _engine = new EmulatorEngine(options ?? new EmulatorOptions());
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers = request.Headers;
        if (request.Content is not null)
        {
            headers = headers.Concat(request.Content.Headers);
        }

        var knobHeaders = EmulatorRequest.SelectKnobHeaders(
            headers.Select(static h => new KeyValuePair<string, string>(h.Key, string.Join(',', h.Value))));
        var uri = request.RequestUri;
        var path = uri is null ? "/" : uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        var method = request.Method.Method;
        var apiHeaders = EmulatorRequest.SelectApiHeaders(
            headers.Select(static h => new KeyValuePair<string, string>(h.Key, string.Join(',', h.Value))));
        var emulatorRequest = new EmulatorRequest(EmulatorRequest.OperationFor(method, path), method, path, body, knobHeaders) { ApiHeaders = apiHeaders };

        var response = await _engine.HandleAsync(emulatorRequest, cancellationToken);
        if (response.DropConnection)
        {
            // fault=reset: what SocketsHttpHandler throws when Kestrel aborts the connection before responding.
            throw new HttpRequestException(
                HttpRequestError.Unknown,
                "An error occurred while sending the request.",
                new IOException(
                    "Unable to read data from the transport connection: Connection reset by peer.",
                    new SocketException((int)SocketError.ConnectionReset)));
        }

        var pipe = new Pipe();
        var stream = new EmulatorResponseStream(pipe.Reader);
        _ = PumpAsync(response, pipe.Writer, stream);

        var content = new StreamContent(stream);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(response.ContentType);
        var message = new HttpResponseMessage((HttpStatusCode)response.StatusCode)
        {
            RequestMessage = request,
            Content = content,
        };
        foreach (var (name, value) in response.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    // Runs in the background so the caller gets headers first and reads the body as it is produced.
    private static async Task PumpAsync(EmulatorResponse response, PipeWriter writer, EmulatorResponseStream reader)
    {
        try
        {
            await using var output = writer.AsStream(leaveOpen: true);
            await response.WriteBodyAsync(output, reader.Aborted);
        }
        catch (Exception ex)
        {
            // Fault is recorded before completing: the reader drains what was sent, then throws, as a dropped socket does.
            reader.Fault = ex as IOException ?? new IOException("The emulator response failed.", ex);
        }

        await writer.CompleteAsync();
    }
}
