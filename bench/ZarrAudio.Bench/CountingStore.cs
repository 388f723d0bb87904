using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Bench;

/// <summary>Passes every call to a store and counts the requests each makes; keeps the last ranged read, to replay it raw.</summary>
internal sealed class CountingStore(IStore inner) : IStore
{
    private long _requests;
    public long Requests => Interlocked.Read(ref _requests);
    public (string Key, ByteRange Range)? LastRange { get; private set; }
    private void Count() => Interlocked.Increment(ref _requests);

    public bool IsReadOnly => inner.IsReadOnly;
    public string Location => inner.Location;
    public bool IsRemote => inner.IsRemote;
    public bool CanList => inner.CanList;
    public ValueTask<byte[]?> GetAsync(string key, CancellationToken ct = default) { Count(); return inner.GetAsync(key, ct); }
    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken ct = default)
    {
        Count();
        LastRange = (key, range);
        return inner.GetRangeAsync(key, range, ct);
    }
    public ValueTask<long?> GetSizeAsync(string key, CancellationToken ct = default) { Count(); return inner.GetSizeAsync(key, ct); }
    public ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default) { Count(); return inner.ExistsAsync(key, ct); }
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) { Count(); return inner.SetAsync(key, value, ct); }
    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) { Count(); return inner.SetIfAbsentAsync(key, value, ct); }
    public ValueTask DeleteAsync(string key, CancellationToken ct = default) { Count(); return inner.DeleteAsync(key, ct); }
    // A listing is one request per page of 1,000 (S3) or 5,000 (Azure) names: counted per call, which is exact below that.
    public IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default) { Count(); return inner.ListPrefixAsync(prefix, ct); }
    public IAsyncEnumerable<string> ListDirectoryAsync(string prefix, CancellationToken ct = default) { Count(); return inner.ListDirectoryAsync(prefix, ct); }
    public ValueTask<bool> EnforcesExclusiveCreateAsync(string scratchKey, CancellationToken ct = default) => inner.EnforcesExclusiveCreateAsync(scratchKey, ct);
    public string? ConcurrencyWarning => inner.ConcurrencyWarning;
    public void Dispose() => inner.Dispose();
}
