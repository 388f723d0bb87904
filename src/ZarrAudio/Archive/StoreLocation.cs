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
            // One store per name for the life of the process, shared by every mount of it; disposing a
            // MemoryStore keeps its data, so a dismount does not discard what other mounts see.
            return MemoryStores.GetOrAdd(name, n => new MemoryStore(n));
        }
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new ArchiveFormatException($"'{location}': S3 and HTTP stores are not available in this version of ZarrAudio; use a directory, a .zip file or memory://name.");
        if (location.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return new ZipStore(location, readOnly: readOnly, create: create);
        return new DirectoryStore(location, readOnly: readOnly, create: create);
    }
}
