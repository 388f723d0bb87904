using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>Reads parts of one encoded value: a store key, or a window inside one (an inner chunk of a shard).</summary>
public interface IByteRangeReader
{
    ValueTask<long?> GetSizeAsync(CancellationToken cancellationToken);
    ValueTask<byte[]?> ReadAsync(ByteRange range, CancellationToken cancellationToken);
    ValueTask<byte[]?> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Where a shard read may keep its decoded index (whole store values only), and under which key.</summary>
    (ShardIndexCache Cache, string Key)? IndexCache => null;
}

/// <summary>Reads one key of a store.</summary>
public sealed class StoreRangeReader(IReadableStore store, string key, ShardIndexCache? indexCache = null) : IByteRangeReader
{
    public (ShardIndexCache Cache, string Key)? IndexCache => indexCache is null ? null : (indexCache, key);
    public ValueTask<long?> GetSizeAsync(CancellationToken cancellationToken) => store.GetSizeAsync(key, cancellationToken);
    public ValueTask<byte[]?> ReadAsync(ByteRange range, CancellationToken cancellationToken) => store.GetRangeAsync(key, range, cancellationToken);
    public ValueTask<byte[]?> ReadAllAsync(CancellationToken cancellationToken) => store.GetAsync(key, cancellationToken);
}

/// <summary>Reads bytes already in memory (e.g. a coalesced span of several inner chunks).</summary>
public sealed class MemoryRangeReader(ReadOnlyMemory<byte> bytes) : IByteRangeReader
{
    public ValueTask<long?> GetSizeAsync(CancellationToken cancellationToken) => ValueTask.FromResult<long?>(bytes.Length);

    public ValueTask<byte[]?> ReadAsync(ByteRange range, CancellationToken cancellationToken)
    {
        var (offset, length) = range.Resolve(bytes.Length);
        return ValueTask.FromResult<byte[]?>(bytes.Slice((int)offset, length).ToArray());
    }

    public ValueTask<byte[]?> ReadAllAsync(CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(bytes.ToArray());
}

/// <summary>Reads a window <c>[offset, offset+length)</c> of another reader.</summary>
public sealed class WindowRangeReader(IByteRangeReader inner, long offset, long length) : IByteRangeReader
{
    public ValueTask<long?> GetSizeAsync(CancellationToken cancellationToken) => ValueTask.FromResult<long?>(length);

    public ValueTask<byte[]?> ReadAsync(ByteRange range, CancellationToken cancellationToken)
    {
        var (o, l) = range.Resolve(length);
        return inner.ReadAsync(ByteRange.FromOffset(offset + o, l), cancellationToken);
    }

    public ValueTask<byte[]?> ReadAllAsync(CancellationToken cancellationToken) =>
        inner.ReadAsync(ByteRange.FromOffset(offset, length), cancellationToken);
}
