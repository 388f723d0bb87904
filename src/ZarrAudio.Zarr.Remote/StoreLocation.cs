using System.Collections.Concurrent;
using ZarrAudio.Zarr.Stores.Remote;

namespace ZarrAudio.Zarr.Stores;

/// <summary>A location that names no store: an unknown memory store, a bad address, no bucket, or creating on a web server.</summary>
public sealed class StoreAddressException(string message) : ZarrException(message)
{
    /// <summary>True when the address itself breaks a rule (no bucket, a name the service refuses), not when nothing is there.</summary>
    public bool IsMalformed { get; init; }
}

/// <summary>
/// Opens a store from what a user types: a directory, a .zip file, memory://name, s3://bucket/prefix,
/// az://account/container/prefix (or https://account.blob.core.windows.net/container/prefix), or any other
/// http(s):// address (read-only). The one list of address schemes is here, beside the stores it opens.
/// </summary>
public static class StoreLocation
{
    private static readonly ConcurrentDictionary<string, MemoryStore> MemoryStores = new(StringComparer.Ordinal);

    /// <summary>The address schemes <see cref="Open"/> knows; anything else is a file system path.</summary>
    public static IReadOnlyList<string> Schemes { get; } = ["memory://", "s3://", "az://", "http://", "https://"];

    /// <summary>True when a location is an address (memory://, s3://, az://, http(s)://), not a file system path.</summary>
    public static bool IsAddress(string location) => Schemes.Any(scheme => location.StartsWith(scheme, StringComparison.OrdinalIgnoreCase));

    public static IReadableStore Open(string location, bool create, bool readOnly, RemoteStoreOptions? remote = null)
    {
        if (location.StartsWith("memory://", StringComparison.OrdinalIgnoreCase))
        {
            var name = location["memory://".Length..].TrimEnd('/');
            if (!create && !MemoryStores.ContainsKey(name))
                throw new StoreAddressException($"There is no in-memory store named '{name}' in this process; mount it with -Create first.");
            // One store per name for the life of the process, shared by every mount of it; disposing a
            // MemoryStore keeps its data, so a dismount does not discard what other mounts see.
            return MemoryStores.GetOrAdd(name, n => new MemoryStore(n));
        }
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var (bucket, prefix) = SplitFirst(location["s3://".Length..], location);
            return new S3Store(bucket, prefix, remote, readOnly);
        }
        if (location.StartsWith("az://", StringComparison.OrdinalIgnoreCase))
        {
            var (account, rest) = SplitFirst(location["az://".Length..], location);
            var (container, prefix) = SplitFirst(rest, location);
            return new AzureBlobStore(account, container, prefix, remote, readOnly);
        }
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(location, UriKind.Absolute, out var address))
                throw new StoreAddressException($"'{Redact(location)}' is not a valid web address.") { IsMalformed = true };
            if (address.Host.EndsWith(".blob.core.windows.net", StringComparison.OrdinalIgnoreCase))
            {
                var (container, prefix) = SplitFirst(address.AbsolutePath.TrimStart('/'), location);
                return new AzureBlobStore(address.Host.Split('.')[0], container, prefix, remote, readOnly);
            }
            if (create) throw new StoreAddressException($"An archive cannot be created at {Redact(location)}: a web server is read-only. Create it in a directory, S3 or Azure, and publish that directory.");
            return new HttpStore(address, remote);
        }
        if (location.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return new ZipStore(location, readOnly: readOnly, create: create);
        return new DirectoryStore(location, readOnly: readOnly, create: create);
    }

    /// <summary>The first path segment (a bucket, account or container) and the rest.</summary>
    private static (string Head, string Tail) SplitFirst(string path, string location)
    {
        var slash = path.IndexOf('/');
        var first = slash < 0 ? path : path[..slash];
        if (first.Length == 0) throw new StoreAddressException($"'{Redact(location)}' names no bucket, account or container.") { IsMalformed = true };
        return (first, slash < 0 ? "" : path[(slash + 1)..].Trim('/'));
    }

    /// <summary>A location as it may be shown: without user information or a query (where signed addresses keep tokens).</summary>
    public static string Redact(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? HttpStore.Shown(uri)
            : location;
}
