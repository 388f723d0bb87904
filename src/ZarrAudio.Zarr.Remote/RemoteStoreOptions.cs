namespace ZarrAudio.Zarr.Stores.Remote;

/// <summary>
/// How to reach an object store or web server. Anything left null comes from the standard sources of that service
/// (AWS: environment, shared config and profile; Azure: AZURE_STORAGE_CONNECTION_STRING / AZURE_STORAGE_KEY).
/// Secrets set here are used for signing only: no store puts them in a message, its location or its metadata.
/// </summary>
public sealed record RemoteStoreOptions
{
    /// <summary>A service address other than the public cloud's: MinIO, Ceph, s3rver, Azurite (<c>http://127.0.0.1:9000</c>).</summary>
    public Uri? Endpoint { get; init; }
    /// <summary>The S3 region (default: the AWS sources', else us-east-1).</summary>
    public string? Region { get; init; }
    /// <summary>A profile of the shared AWS config and credentials files.</summary>
    public string? Profile { get; init; }
    /// <summary>S3: the access key id and secret; Azure: the account name and account key.</summary>
    public string? UserName { get; init; }
    public string? Secret { get; init; }
    /// <summary>An Azure Storage connection string.</summary>
    public string? ConnectionString { get; init; }
    /// <summary>Unsigned requests, for public buckets.</summary>
    public bool Anonymous { get; init; }
    /// <summary>
    /// The caller promises that no other process writes the archive. Only then may a server that does not enforce
    /// exclusive create (s3rver, some older S3-compatible servers) be written: keys are checked, then written.
    /// </summary>
    public bool SingleWriter { get; init; }
    /// <summary>How long one request may take before it is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Retries of a throttled (429, 503), failed (5xx) or broken request, with exponential backoff.</summary>
    public int MaxRetries { get; init; } = 8;
}
