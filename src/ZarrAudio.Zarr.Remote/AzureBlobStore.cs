using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// A store in an Azure Blob container, below a name prefix: block blobs, exclusive create with
/// <c>If-None-Match: *</c>, ranged downloads; the SDK retries throttling, 5xx and broken connections with backoff.
/// </summary>
public sealed class AzureBlobStore : IStore
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;

    public AzureBlobStore(string account, string container, string prefix, RemoteStoreOptions? options = null, bool readOnly = false)
    {
        options ??= new RemoteStoreOptions();
        _prefix = StoreKey.NormalizePrefix(prefix.Trim('/'));
        IsReadOnly = readOnly;
        Location = $"az://{account}/{container}/{_prefix}".TrimEnd('/');
        RemoteNames.CheckContainer(container, Location);
        var clientOptions = new BlobClientOptions();
        RemoteRetry.Apply(clientOptions.Retry, options);
        var connection = options.ConnectionString ?? (options.Anonymous || options.Secret is not null ? null : Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING"));
        BlobServiceClient service;
        if (connection is not null)
        {
            try { service = new BlobServiceClient(connection, clientOptions); }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // The SDK's message may quote the string, and with it the key: say only that it is malformed.
                throw ZarrStoreException.Remote(StoreFailure.AccessDenied, Location, "the Azure Storage connection string is not valid");
            }
            if (!string.Equals(service.AccountName, account, StringComparison.OrdinalIgnoreCase))
                throw ZarrStoreException.Remote(StoreFailure.AccessDenied, Location, $"the connection string is for the account '{service.AccountName}', not '{account}'");
        }
        else
        {
            var endpoint = options.Endpoint ?? new Uri($"https://{account}.blob.core.windows.net/");
            var key = options.Secret ?? (options.Anonymous ? null : Environment.GetEnvironmentVariable("AZURE_STORAGE_KEY"));
            try
            {
                service = key is null
                    ? new BlobServiceClient(endpoint, clientOptions)
                    : new BlobServiceClient(endpoint, new StorageSharedKeyCredential(options.UserName ?? account, key), clientOptions);
            }
            catch (FormatException) { throw ZarrStoreException.Remote(StoreFailure.AccessDenied, Location, "the account key is not valid base64"); }
        }
        _container = service.GetBlobContainerClient(container);
    }

    public bool IsReadOnly { get; }
    public string Location { get; }
    public bool IsRemote => true;

    private BlobClient Blob(string key)
    {
        StoreKey.Validate(key);
        return _container.GetBlobClient(_prefix + key);
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await DownloadAsync(key, null, cancellationToken).ConfigureAwait(false);

    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default) =>
        RemoteRange.GetAsync(this, key, range, explicitRange => DownloadAsync(key, new HttpRange(explicitRange.Offset, explicitRange.Length), cancellationToken), cancellationToken);

    private async Task<byte[]?> DownloadAsync(string key, HttpRange? range, CancellationToken ct)
    {
        try
        {
            var response = await Blob(key).DownloadStreamingAsync(new BlobDownloadOptions { Range = range ?? default }, ct).ConfigureAwait(false);
            using var download = response.Value;
            var buffer = GC.AllocateUninitializedArray<byte>(checked((int)download.Details.ContentLength));
            await download.Content.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
            return buffer;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound) { return null; }
        catch (RequestFailedException e) when (e.Status == 416) { return []; }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, key); }
    }

    public async ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        try { return (await Blob(key).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentLength; }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A HEAD has no error code in its body: tell a missing container from a missing blob once.
            await ThrowIfContainerMissingAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, key); }
    }

    public async ValueTask CreateIfMissingAsync(CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, "zarr.json");
        try { await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false); }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, ""); }
    }

    private volatile bool _containerSeen;
    private async Task ThrowIfContainerMissingAsync(string key, CancellationToken ct)
    {
        if (_containerSeen) return;
        bool exists;
        try { exists = (await _container.ExistsAsync(ct).ConfigureAwait(false)).Value; }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, key); }
        if (!exists) throw ZarrStoreException.Remote(StoreFailure.NotFound, Location, $"the container '{_container.Name}' does not exist", key);
        _containerSeen = true;
    }

    public async ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetSizeAsync(key, cancellationToken).ConfigureAwait(false) is not null;

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        await UploadAsync(key, value, null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        return await UploadAsync(key, value, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> UploadAsync(string key, ReadOnlyMemory<byte> value, BlobRequestConditions? conditions, CancellationToken ct)
    {
        try
        {
            await Blob(key).UploadAsync(BinaryData.FromBytes(value), new BlobUploadOptions { Conditions = conditions }, ct).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (conditions is not null && e.Status is 409 or 412) { return false; }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, key); }
    }

    public async ValueTask<bool> EnforcesExclusiveCreateAsync(string scratchKey, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, scratchKey);
        return await ExclusiveCreateProbe.SecondIsRefusedAsync(value => SetIfAbsentAsync(scratchKey, value, cancellationToken).AsTask(),
            () => DeleteAsync(scratchKey, CancellationToken.None).AsTask()).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        try { await Blob(key).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false); }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, key); }
    }

    public async IAsyncEnumerable<string> ListPrefixAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix + prefix }, cancellationToken).AsPages(pageSizeHint: 5000);
        await using var pager = pages.GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(pager, prefix).ConfigureAwait(false))
            foreach (var item in pager.Current.Values) yield return item.Name[_prefix.Length..];
    }

    public async IAsyncEnumerable<string> ListDirectoryAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        prefix = StoreKey.NormalizePrefix(prefix);
        var pages = _container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Prefix = _prefix + prefix, Delimiter = "/" }, cancellationToken).AsPages(pageSizeHint: 5000);
        await using var pager = pages.GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(pager, prefix).ConfigureAwait(false))
            foreach (var item in pager.Current.Values)
                yield return item.IsPrefix ? item.Prefix[(_prefix.Length + prefix.Length)..].TrimEnd('/') : item.Blob.Name[(_prefix.Length + prefix.Length)..];
    }

    /// <summary>The next page of a listing, its failures said as the store's (an iterator cannot catch around a yield).</summary>
    private async Task<bool> NextAsync<T>(IAsyncEnumerator<T> pager, string prefix)
    {
        try { return await pager.MoveNextAsync().ConfigureAwait(false); }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw ZarrStoreException.Remote(StoreFailure.NotFound, Location, $"the container '{_container.Name}' does not exist", prefix, e);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException) { throw Failure(e, prefix); }
    }

    /// <summary>The SDK's error, said for a user: the container, the kind of failure, Azure's error code; never a key or signature.</summary>
    private ZarrStoreException Failure(Exception error, string key) => error switch
    {
        RequestFailedException { ErrorCode: "ContainerNotFound" } =>
            ZarrStoreException.Remote(StoreFailure.NotFound, Location, $"the container '{_container.Name}' does not exist", key, error),
        RequestFailedException { Status: 403 or 401 } r =>
            ZarrStoreException.Remote(StoreFailure.AccessDenied, Location, $"access was denied ({r.ErrorCode}): check the account key or connection string", key, error),
        RequestFailedException { Status: > 0 } r =>
            ZarrStoreException.Remote(RemoteRetry.IsRetried(r.Status) ? StoreFailure.Unavailable : StoreFailure.Other, Location, RemoteRetry.Said(r.Status, r.ErrorCode), key, error),
        _ => ZarrStoreException.Remote(StoreFailure.Unavailable, Location, $"the server could not be reached ({error.GetBaseException().Message})", key, error),
    };

    public void Dispose() { }
}
