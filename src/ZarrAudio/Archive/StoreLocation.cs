using System.Collections.Concurrent;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>Opens a store from what a user types: a directory, a .zip file, or memory://name.</summary>
public static class StoreLocation
{
    private static readonly ConcurrentDictionary<string, MemoryStore> MemoryStores = new(StringComparer.Ordinal);

    public static IStore Open(string location, bool create, bool readOnly)
    {
        if (location.StartsWith("memory://", StringComparison.OrdinalIgnoreCase))
        {
            var name = location["memory://".Length..].TrimEnd('/');
            if (!create && !MemoryStores.ContainsKey(name))
                throw new ArchiveFormatException($"There is no in-memory store named '{name}' in this process; mount it with -Create first.");
            // One store per name for the life of the process, shared by every mount of it.
            return new SharedMemoryStore(MemoryStores.GetOrAdd(name, n => new MemoryStore(n)));
        }
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new ArchiveFormatException($"'{location}': S3 and HTTP stores are not available in this version of ZarrAudio; use a directory, a .zip file or memory://name.");
        if (location.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return new ZipStore(location, readOnly: readOnly, create: create);
        return new DirectoryStore(location, readOnly: readOnly, create: create);
    }

    /// <summary>A view of a named in-memory store whose Dispose does not discard the shared data.</summary>
    private sealed class SharedMemoryStore(MemoryStore inner) : IStore
    {
        public bool IsReadOnly => inner.IsReadOnly;
        public string Location => inner.Location;
        public ValueTask<byte[]?> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);
        public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken ct = default) => inner.GetRangeAsync(key, range, ct);
        public ValueTask<long?> GetSizeAsync(string key, CancellationToken ct = default) => inner.GetSizeAsync(key, ct);
        public ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default) => inner.ExistsAsync(key, ct);
        public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.SetAsync(key, value, ct);
        public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.SetIfAbsentAsync(key, value, ct);
        public ValueTask DeleteAsync(string key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);
        public IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default) => inner.ListPrefixAsync(prefix, ct);
        public IAsyncEnumerable<string> ListDirectoryAsync(string prefix, CancellationToken ct = default) => inner.ListDirectoryAsync(prefix, ct);
        public void Dispose() { }
    }
}
