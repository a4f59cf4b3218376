namespace Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

/// <summary>
/// Sits under every client the tests use (the OpenAI SDK included) and fails the read of any response whose
/// headers or body carry the provider credential, so every response of every test is checked as it streams in.
/// It also fails any 500: no request may make the gateway answer one.
/// </summary>
internal sealed class LeakGuard(string secret) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
{
    private readonly string _secretText = secret;
    private readonly byte[] _secret = System.Text.Encoding.UTF8.GetBytes(secret);
    private long _responses;
    private long _bytes;

    /// <summary>How many responses passed through the guard.</summary>
    public long Responses => Interlocked.Read(ref _responses);

    /// <summary>How many body bytes were scanned.</summary>
    public long BytesScanned => Interlocked.Read(ref _bytes);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _responses);

        // No input may make the gateway answer 500; every response of every test is held to it here.
        if (response.StatusCode == System.Net.HttpStatusCode.InternalServerError)
        {
            throw new InvalidOperationException($"The gateway answered 500 to {request.Method} {request.RequestUri}.");
        }

        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            foreach (var value in values)
            {
                if (value.Contains(_secretText, StringComparison.Ordinal) || name.Contains(_secretText, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The provider key leaked in the response header '{name}'.");
                }
            }
        }

        var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
        var content = new StreamContent(new ScanningStream(inner, this));
        foreach (var (name, values) in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(name, values);
        }

        response.Content = content;
        return response;
    }

    private sealed class ScanningStream(Stream inner, LeakGuard guard) : Stream
    {
        // The last bytes of what was read so far, so a key split across two reads is still found.
        private byte[] _tail = [];

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Scan(buffer[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Scan(buffer.Span[..n]);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Scan(ReadOnlySpan<byte> chunk)
        {
            if (chunk.IsEmpty)
            {
                return;
            }

            Interlocked.Add(ref guard._bytes, chunk.Length);
            var combined = new byte[_tail.Length + chunk.Length];
            _tail.CopyTo(combined, 0);
            chunk.CopyTo(combined.AsSpan(_tail.Length));
            if (combined.AsSpan().IndexOf(guard._secret) >= 0)
            {
                throw new InvalidOperationException("The provider key leaked in a response body.");
            }

            var keep = Math.Min(combined.Length, guard._secret.Length - 1);
            _tail = combined[^keep..];
        }
    }
}
