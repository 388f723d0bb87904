using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Zarr.Tests;

/// <summary>Wraps a store and records every read, to prove reads touch only what they need.</summary>
internal sealed class CountingStore(IStore inner) : IStore
{
    public List<(string Key, ByteRange? Range)> Reads { get; } = [];
    public long BytesRead;
    public bool IsReadOnly => inner.IsReadOnly;
    public string Location => inner.Location;

    private byte[]? Note(string key, ByteRange? range, byte[]? value)
    {
        lock (Reads) { Reads.Add((key, range)); BytesRead += value?.Length ?? 0; }
        return value;
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken ct = default) => Note(key, null, await inner.GetAsync(key, ct));
    public async ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken ct = default) => Note(key, range, await inner.GetRangeAsync(key, range, ct));
    public ValueTask<long?> GetSizeAsync(string key, CancellationToken ct = default) => inner.GetSizeAsync(key, ct);
    public ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default) => inner.ExistsAsync(key, ct);
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.SetAsync(key, value, ct);
    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.SetIfAbsentAsync(key, value, ct);
    public ValueTask DeleteAsync(string key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);
    public IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default) => inner.ListPrefixAsync(prefix, ct);
    public IAsyncEnumerable<string> ListDirectoryAsync(string prefix, CancellationToken ct = default) => inner.ListDirectoryAsync(prefix, ct);
    public void Dispose() => inner.Dispose();
}
