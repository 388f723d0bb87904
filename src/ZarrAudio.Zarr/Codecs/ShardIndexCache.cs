using System.Collections.Concurrent;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>
/// Decoded shard indexes kept between reads, with the shard's length, so a read of an array that is not
/// being rewritten costs one ranged fetch instead of a size query, an index fetch and a checksum. Writes
/// through the owning <see cref="ZarrArray"/> drop the entries they replace; writers in other processes
/// are not seen, so only arrays that no one rewrites should use it.
/// </summary>
public sealed class ShardIndexCache
{
    private readonly ConcurrentDictionary<string, (long Length, ulong[] Index)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out long length, out ulong[] index)
    {
        var found = _entries.TryGetValue(key, out var entry);
        (length, index) = entry;
        return found;
    }

    public void Set(string key, long length, ulong[] index) => _entries[key] = (length, index);
    public void Invalidate(string key) => _entries.TryRemove(key, out _);
}
