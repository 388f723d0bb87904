using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.S3.Model;

namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// A store in an S3 bucket (AWS, or any S3-compatible server: MinIO, Ceph RGW), below a key prefix. Exclusive create
/// is a conditional PUT (<c>If-None-Match: *</c>); reads are ranged GETs; the SDK retries throttling, 5xx and broken
/// connections with backoff.
/// </summary>
public sealed class S3Store : IStore
{
    private readonly AmazonS3Client _client;
    private readonly string _prefix;
    private readonly bool _singleWriter;
    private readonly Polly.ResiliencePipeline _retry;

    public S3Store(string bucket, string prefix, RemoteStoreOptions? options = null, bool readOnly = false)
    {
        options ??= new RemoteStoreOptions();
        Bucket = bucket;
        _prefix = StoreKey.NormalizePrefix(prefix.Trim('/'));
        IsReadOnly = readOnly;
        _singleWriter = options.SingleWriter;
        Location = $"s3://{bucket}/{_prefix}".TrimEnd('/');
        RemoteNames.CheckBucket(bucket, Location);
        var config = new AmazonS3Config
        {
            // Retries are ours (RemoteRetry), the same for every store: the SDK's standard mode gives up early under
            // sustained throttling (its retry quota is shared by the whole client).
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            // Checksums of whole bodies only where S3 requires them: the trailing-checksum framing is not understood by
            // every S3-compatible server, and the Zarr layer checks its chunks itself.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");
        _client = new AmazonS3Client(Credentials(options, config), config);
        _retry = RemoteRetry.Pipeline(options, IsTransient);
    }

    private static bool IsTransient(Exception e) => e switch
    {
        AmazonServiceException s => RemoteRetry.IsRetried((int)s.StatusCode) || s.ErrorCode is "SlowDown" or "RequestTimeout" or "Throttling",
        AmazonClientException or IOException or HttpRequestException => true,
        TaskCanceledException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A failure of the request, not of the caller: said as the store's error once the retries are spent.</summary>
    private static bool IsStoreError(Exception e) => e is AmazonServiceException or AmazonClientException or IOException or TimeoutException or HttpRequestException;

    /// <summary>Runs one S3 call through the retries; a caller's cancellation is never retried, the SDK's own timeout is.</summary>
    private ValueTask<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct) =>
        _retry.ExecuteAsync(async token =>
        {
            try { return await call(token).ConfigureAwait(false); }
            catch (OperationCanceledException e) when (!token.IsCancellationRequested) { throw new TimeoutException("The request timed out.", e); }
        }, ct);

    public string Bucket { get; }
    public bool IsReadOnly { get; }
    public string Location { get; }
    public bool IsRemote => true;
    public string? ConcurrencyWarning { get; private set; }

    private static AWSCredentials Credentials(RemoteStoreOptions options, AmazonS3Config config)
    {
        if (options.Anonymous) return new AnonymousAWSCredentials();
        if (options.UserName is { } id && options.Secret is { } secret) return new BasicAWSCredentials(id, secret);
        if (options.Profile is { } profile)
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                ? fromProfile
                : throw ZarrStoreException.Remote(StoreFailure.AccessDenied, "S3", $"there is no AWS profile named '{profile}' in the shared config or credentials files");
        // The standard chain (environment, shared files, instance roles); a machine with none reads public buckets.
        try { return DefaultAWSCredentialsIdentityResolver.GetCredentials(config); }
        catch (AmazonClientException) { return new AnonymousAWSCredentials(); }
    }

    private string KeyOf(string key)
    {
        StoreKey.Validate(key);
        return _prefix + key;
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await GetObjectAsync(key, null, cancellationToken).ConfigureAwait(false);

    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default) =>
        RemoteRange.GetAsync(this, key, range, explicitRange => GetObjectAsync(key, explicitRange, cancellationToken), cancellationToken);

    private async Task<byte[]?> GetObjectAsync(string key, ByteRange? range, CancellationToken ct)
    {
        var request = new GetObjectRequest { BucketName = Bucket, Key = KeyOf(key) };
        if (range is { } r) request.ByteRange = new Amazon.S3.Model.ByteRange(r.Offset, r.End - 1);
        try
        {
            using var response = await RetryAsync(token => _client.GetObjectAsync(request, token), ct).ConfigureAwait(false);
            var length = response.ContentLength;
            var buffer = GC.AllocateUninitializedArray<byte>(checked((int)length));
            await response.ResponseStream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
            return buffer;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NoSuchKey" or null or "NotFound") { return null; }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) { return []; }
        catch (Exception e) when (IsStoreError(e)) { throw Failure(e, key); }
    }

    public async ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await RetryAsync(token => _client.GetObjectMetadataAsync(Bucket, KeyOf(key), token), cancellationToken).ConfigureAwait(false);
            return response.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD has no body, so a missing bucket looks like a missing key: tell them apart once.
            await ThrowIfBucketMissingAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (IsStoreError(e)) { throw Failure(e, key); }
    }

    public async ValueTask CreateIfMissingAsync(CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, "zarr.json");
        if (await BucketExistsAsync("", cancellationToken).ConfigureAwait(false)) return;
        try { await _client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken).ConfigureAwait(false); }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou") { }
        catch (Exception e) when (IsStoreError(e)) { throw Failure(e, ""); }
    }

    private volatile bool _bucketSeen;
    private async Task ThrowIfBucketMissingAsync(string key, CancellationToken ct)
    {
        if (!_bucketSeen && !await BucketExistsAsync(key, ct).ConfigureAwait(false))
            throw ZarrStoreException.Remote(StoreFailure.NotFound, Location, $"the bucket '{Bucket}' does not exist", key);
    }

    /// <summary>A HEAD of the bucket (not a listing: s3rver fails bucket-wide listings once it holds many objects).</summary>
    private async Task<bool> BucketExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await RetryAsync(token => _client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, token), ct).ConfigureAwait(false);
            return _bucketSeen = true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return false; }
        catch (Exception e) when (IsStoreError(e)) { throw Failure(e, key); }
    }

    public async ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetSizeAsync(key, cancellationToken).ConfigureAwait(false) is not null;

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        await PutAsync(key, value, conditional: false, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        if (_singleWriter && await ExistsAsync(key, cancellationToken).ConfigureAwait(false)) return false;
        return await PutAsync(key, value, conditional: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One PUT; with <paramref name="conditional"/>, false when the server says the key exists (412, or 409 for a race).</summary>
    private async Task<bool> PutAsync(string key, ReadOnlyMemory<byte> value, bool conditional, CancellationToken ct)
    {
        var bytes = MemoryMarshal.TryGetArray(value, out var segment) ? segment : new ArraySegment<byte>(value.ToArray());
        var storeKey = KeyOf(key);
        try
        {
            await RetryAsync(token =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = storeKey,
                    InputStream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false),
                    AutoCloseStream = true,
                    // Chunked (aws-chunked) bodies are stored verbatim by some S3-compatible servers: send plain bodies.
                    UseChunkEncoding = false,
                };
                if (conditional) request.IfNoneMatch = "*";
                return _client.PutObjectAsync(request, token);
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (conditional && e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict) { return false; }
        catch (Exception e) when (IsStoreError(e)) { throw Failure(e, key); }
    }

    public async ValueTask<bool> EnforcesExclusiveCreateAsync(string scratchKey, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, scratchKey);
        // The raw conditional PUT, not SetIfAbsentAsync: in single-writer mode that checks first, and would pass.
        if (await ExclusiveCreateProbe.SecondIsRefusedAsync(value => PutAsync(scratchKey, value, conditional: true, cancellationToken),
                () => DeleteAsync(scratchKey, CancellationToken.None).AsTask()).ConfigureAwait(false)) return true;
        if (!_singleWriter) return false;
        ConcurrencyWarning = $"{Location}: this server does not refuse a second exclusive create (If-None-Match: *), so it is safe to write only while no other process writes it (mounted -SingleWriter). Keys are checked before they are written.";
        return true;
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        try { await RetryAsync(token => _client.DeleteObjectAsync(Bucket, KeyOf(key), token), cancellationToken).ConfigureAwait(false); }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket") { }
        catch (Exception e) when (IsStoreError(e)) { throw Failure(e, key); }
    }

    public async IAsyncEnumerable<string> ListPrefixAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (keys, _) in ListAsync(prefix, delimiter: null, cancellationToken).ConfigureAwait(false))
            foreach (var key in keys) yield return key;
    }

    public async IAsyncEnumerable<string> ListDirectoryAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        prefix = StoreKey.NormalizePrefix(prefix);
        await foreach (var (keys, prefixes) in ListAsync(prefix, "/", cancellationToken).ConfigureAwait(false))
        {
            foreach (var key in keys) yield return key[prefix.Length..];
            foreach (var sub in prefixes) yield return sub[prefix.Length..].TrimEnd('/');
        }
    }

    /// <summary>Pages of a listing, as store keys (the store's own prefix removed).</summary>
    private async IAsyncEnumerable<(List<string> Keys, List<string> Prefixes)> ListAsync(string prefix, string? delimiter, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = _prefix + prefix, Delimiter = delimiter, MaxKeys = 1000 };
        while (true)
        {
            ListObjectsV2Response response;
            try { response = await RetryAsync(token => _client.ListObjectsV2Async(request, token), ct).ConfigureAwait(false); }
            catch (Exception e) when (IsStoreError(e)) { throw Failure(e, prefix); }
            yield return ((response.S3Objects ?? []).Select(o => o.Key[_prefix.Length..]).ToList(),
                (response.CommonPrefixes ?? []).Select(p => p[_prefix.Length..]).ToList());
            if (response.IsTruncated != true) yield break;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <summary>The SDK's error, said for a user: the bucket, the kind of failure, S3's error code; never a credential.</summary>
    private ZarrStoreException Failure(Exception error, string key) => error switch
    {
        AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } s =>
            ZarrStoreException.Remote(StoreFailure.AccessDenied, Location, $"access was denied ({s.ErrorCode}): check the credentials and their rights on the bucket", key, error),
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } or AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } => ZarrStoreException.Remote(StoreFailure.NotFound, Location, $"the bucket '{Bucket}' does not exist", key, error),
        AmazonServiceException s => ZarrStoreException.Remote(RemoteRetry.IsRetried((int)s.StatusCode) ? StoreFailure.Unavailable : StoreFailure.Other, Location, RemoteRetry.Said((int)s.StatusCode, s.ErrorCode), key, error),
        _ => ZarrStoreException.Remote(StoreFailure.Unavailable, Location, $"the server could not be reached ({error.GetBaseException().Message})", key, error),
    };

    public void Dispose() => _client.Dispose();
}
