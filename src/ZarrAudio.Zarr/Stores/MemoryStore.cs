using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ZarrAudio.Zarr.Stores;

/// <summary>A store held in process memory; thread-safe. Values are copied in and out.</summary>
public sealed class MemoryStore : IStore
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    public MemoryStore(string name = "", bool readOnly = false)
    {
        Name = name;
        IsReadOnly = readOnly;
    }

    public string Name { get; }
    public bool IsReadOnly { get; }
    public string Location => $"memory://{Name}";
    public int Count => _values.Count;

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreKey.Validate(key); // the same keys as every other store takes
        return ValueTask.FromResult(_values.TryGetValue(key, out var v) ? (byte[])v.Clone() : null);
    }

    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default)
    {
        StoreKey.Validate(key);
        if (!_values.TryGetValue(key, out var v)) return ValueTask.FromResult<byte[]?>(null);
        var (offset, length) = range.Resolve(v.Length);
        return ValueTask.FromResult<byte[]?>(v.AsSpan((int)offset, length).ToArray());
    }

    public ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<long?>(_values.TryGetValue(key, out var v) ? v.Length : null);

    public ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_values.ContainsKey(key));

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        _values[key] = value.ToArray();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKey.ValidateForWrite(this, key);
        return ValueTask.FromResult(_values.TryAdd(key, value.ToArray()));
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        if (IsReadOnly) throw ZarrStoreException.ReadOnly($"Store {Location}", key);
        _values.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListPrefixAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var key in _values.Keys)
            if (key.StartsWith(prefix, StringComparison.Ordinal)) yield return key;
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListDirectoryAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        prefix = StoreKey.NormalizePrefix(prefix);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in _values.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = key.AsSpan(prefix.Length);
            var slash = rest.IndexOf('/');
            var name = (slash < 0 ? rest : rest[..slash]).ToString();
            if (seen.Add(name)) yield return name;
        }
        await Task.CompletedTask;
    }

    /// <summary>Keeps the data: named in-memory stores are shared by every mount in the process.</summary>
    public void Dispose() { }
}
