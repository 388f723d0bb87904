using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Timeout;

namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// A read-only store on any web server that serves files with byte ranges (nginx, Apache, a CDN, a bucket's public
/// address): GET, ranged GET and HEAD below a base address. HTTP cannot list, so archives here are listed through
/// their catalog. Throttling (429, 503), other 5xx, timeouts and broken connections are retried with backoff (Polly).
/// </summary>
public sealed class HttpStore : IReadableStore
{
    private readonly HttpClient _client;
    private readonly string _base;
    private readonly string _query;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;

    public HttpStore(Uri address, RemoteStoreOptions? options = null)
    {
        options ??= new RemoteStoreOptions();
        // A query (a signed address's token) is kept for requests but never shown; neither is user information.
        _query = address.Query;
        var path = address.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        _base = path;
        Location = Shown(address).TrimEnd('/');
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(address.UserInfo))
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(address.UserInfo))));
        _timeout = options.RequestTimeout;
        _pipeline = RemoteRetry.Pipeline(options, e => e is HttpRequestException or TimeoutRejectedException or IOException or TransientStatusException);
    }

    /// <summary>An address as it may be shown: without user information or a query (where signed addresses keep tokens).</summary>
    public static string Shown(Uri address) => new UriBuilder(address) { UserName = "", Password = "", Query = "" }.Uri.AbsoluteUri;

    public string Location { get; }
    public bool IsRemote => true;

    private static bool IsTransient(HttpStatusCode status) => RemoteRetry.IsRetried((int)status);

    private Uri AddressOf(string key)
    {
        StoreKey.Validate(key);
        return new Uri(_base + string.Join('/', key.Split('/').Select(Uri.EscapeDataString)) + _query);
    }

    /// <summary>Sends a request (made afresh for each attempt) through the retries; the caller disposes the response.</summary>
    private async Task<HttpResponseMessage> SendAsync(string key, HttpMethod method, ByteRange? range, CancellationToken ct)
    {
        var address = AddressOf(key);
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(method, address);
                if (range is { } r) request.Headers.Range = new RangeHeaderValue(r.Offset, r.End - 1);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                attempt.CancelAfter(_timeout);
                HttpResponseMessage response;
                try { response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false); }
                catch (OperationCanceledException e) when (!token.IsCancellationRequested) { throw new TimeoutRejectedException($"No answer within {_timeout.TotalSeconds:0} s.", e); }
                if (!IsTransient(response.StatusCode)) return response;
                response.Dispose();
                throw new TransientStatusException(response.StatusCode);
            }, ct).ConfigureAwait(false);
        }
        catch (TransientStatusException e)
        {
            throw ZarrStoreException.Remote(StoreFailure.Unavailable, Location, $"the server kept failing after every retry ({(int)e.Status} {e.Status})", key, e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException)
        {
            throw ZarrStoreException.Remote(StoreFailure.Unavailable, Location, $"the server could not be reached ({e.GetBaseException().Message})", key, e);
        }
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(key, HttpMethod.Get, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        EnsureSuccess(response, key);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default) =>
        RemoteRange.GetAsync(this, key, range, async explicitRange =>
        {
            using var response = await SendAsync(key, HttpMethod.Get, explicitRange, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) return [];
            EnsureSuccess(response, key);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.PartialContent) return body;
            // A server that ignores ranges answers 200 with the whole file: take the part asked for.
            var (start, count) = explicitRange.Resolve(body.Length);
            return body.AsSpan((int)start, count).ToArray();
        }, cancellationToken);

    public async ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(key, HttpMethod.Head, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        EnsureSuccess(response, key);
        return response.Content.Headers.ContentLength
            ?? throw ZarrStoreException.Remote(StoreFailure.Other, Location, "the server did not say the size of a file (no Content-Length)", key);
    }

    public async ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetSizeAsync(key, cancellationToken).ConfigureAwait(false) is not null;

    private void EnsureSuccess(HttpResponseMessage response, string key)
    {
        if (response.IsSuccessStatusCode) return;
        // Throttling and 5xx never get here: SendAsync retries them and then throws.
        var denied = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
        throw ZarrStoreException.Remote(denied ? StoreFailure.AccessDenied : StoreFailure.Unavailable, Location,
            $"{(denied ? "access was denied" : "the server refused the request")} ({(int)response.StatusCode} {response.ReasonPhrase})", key);
    }

    /// <summary>A throttled or failed answer (429, 503, other 5xx), retried like a broken connection.</summary>
    private sealed class TransientStatusException(HttpStatusCode status) : Exception($"HTTP {(int)status}")
    {
        public HttpStatusCode Status { get; } = status;
    }

    public void Dispose() => _client.Dispose();
}
