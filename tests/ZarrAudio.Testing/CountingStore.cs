using System.Collections.Concurrent;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Testing;

/// <summary>
/// Wraps a store and records what is asked of it, to prove reads touch only what they need (tests) and to count the
/// requests a read makes (bench): every value read (<see cref="Reads"/>), every call (<see cref="Requests"/>; a
/// listing counts once), and the last ranged read, to replay it raw. It has the capabilities of the store it wraps:
/// <see cref="Of"/> gives a reading one for a web server, <see cref="CountingStore"/> for a store that also lists and writes.
/// </summary>
public class CountingReader(IReadableStore inner) : IReadableStore
{
    private long _requests;

    /// <summary>Every GET and ranged GET, in order: the key, and the range (null for a whole value).</summary>
    public List<(string Key, ByteRange? Range)> Reads { get; } = [];
    public long BytesRead;
    public long Requests => Interlocked.Read(ref _requests);
    private readonly ConcurrentDictionary<string, long> _byKind = new();
    /// <summary>The calls by kind (get, get range, size, exists, put, put if absent, delete, list, list folder).</summary>
    public IReadOnlyDictionary<string, long> ByKind => new Dictionary<string, long>(_byKind);
    public (string Key, ByteRange Range)? LastRange { get; private set; }

    public static CountingReader Of(IReadableStore inner) => inner is IStore full ? new CountingStore(full) : new CountingReader(inner);

    public string Location => inner.Location;
    public bool IsRemote => inner.IsRemote;

    protected void Count(string kind)
    {
        Interlocked.Increment(ref _requests);
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    private byte[]? Note(string key, ByteRange? range, byte[]? value)
    {
        lock (Reads) { Reads.Add((key, range)); BytesRead += value?.Length ?? 0; }
        return value;
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken ct = default)
    {
        Count("get");
        return Note(key, null, await inner.GetAsync(key, ct));
    }

    public async ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken ct = default)
    {
        Count("get range");
        LastRange = (key, range);
        return Note(key, range, await inner.GetRangeAsync(key, range, ct));
    }

    public ValueTask<long?> GetSizeAsync(string key, CancellationToken ct = default) { Count("size"); return inner.GetSizeAsync(key, ct); }
    public ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default) { Count("exists"); return inner.ExistsAsync(key, ct); }
    public void Dispose() => inner.Dispose();
}

/// <summary>A <see cref="CountingReader"/> of a store that also lists and writes; every call counts.</summary>
public sealed class CountingStore(IStore inner) : CountingReader(inner), IStore
{
    public bool IsReadOnly => inner.IsReadOnly;
    public string? ConcurrencyWarning => inner.ConcurrencyWarning;
    private long _bytesWritten;
    /// <summary>Bytes sent by every write call.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) { Count("put"); Interlocked.Add(ref _bytesWritten, value.Length); return inner.SetAsync(key, value, ct); }
    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) { Count("put if absent"); Interlocked.Add(ref _bytesWritten, value.Length); return inner.SetIfAbsentAsync(key, value, ct); }
    public ValueTask DeleteAsync(string key, CancellationToken ct = default) { Count("delete"); return inner.DeleteAsync(key, ct); }
    public IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default) { Count("list"); return inner.ListPrefixAsync(prefix, ct); }
    public IAsyncEnumerable<string> ListDirectoryAsync(string prefix, CancellationToken ct = default) { Count("list folder"); return inner.ListDirectoryAsync(prefix, ct); }
    public ValueTask<bool> EnforcesExclusiveCreateAsync(string scratchKey, CancellationToken ct = default) => inner.EnforcesExclusiveCreateAsync(scratchKey, ct);
    public ValueTask CreateIfMissingAsync(CancellationToken ct = default) => inner.CreateIfMissingAsync(ct);
}
