using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// A store inside one .zip file. Reads use random access into the archive (entries written here are
/// stored uncompressed, so a ranged read seeks instead of inflating). Writes are kept in memory and
/// <see cref="Flush"/> builds a new zip beside the old one and renames it into place, so the file on
/// disk is always a complete archive. A zip has one writer: exclusive create is exclusive within this
/// process only.
/// </summary>
public sealed class ZipStore : IStore, IStoreWithLeftovers
{
    private readonly object _gate = new();
    private readonly Dictionary<string, byte[]?> _pending = new(StringComparer.Ordinal);
    private FileStream? _file;
    private ZipArchive? _archive;
    private Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private bool _disposed;

    public ZipStore(string path, bool readOnly = true, bool create = false)
    {
        FilePath = Path.GetFullPath(path);
        IsReadOnly = readOnly;
        if (Directory.Exists(FilePath)) throw ZarrStoreException.WrongKind($"'{FilePath}' is a folder, not a zip file.", isFile: false);
        if (!File.Exists(FilePath) && (!create || readOnly)) throw new ZarrStoreException($"Zip file '{FilePath}' does not exist");
        // A zip has one writer: its changes live in memory until written out whole, so a second writer's
        // write-out would replace the first's. The writer holds <zip>.lock (exclusive create) while mounted.
        if (!readOnly)
        {
            try { _writerLock = ZipWriterLock.Acquire(FilePath); }
            catch (Exception e) when (e is IOException { HResult: 30 } or UnauthorizedAccessException)
            {
                throw ZarrStoreException.CannotOpenForWriting(e, Location);
            }
        }
        try { if (File.Exists(FilePath)) OpenArchive(); }
        catch { _writerLock?.Dispose(); throw; }
    }

    private readonly ZipWriterLock? _writerLock;

    public string FilePath { get; }
    public bool IsReadOnly { get; }
    public string Location => new Uri(FilePath).AbsoluteUri;
    public bool HasPendingChanges { get { lock (_gate) return _pending.Count > 0; } }
    public bool BuffersWrites => !IsReadOnly;

    private void OpenArchive()
    {
        try
        {
            _file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            _archive = new ZipArchive(_file, ZipArchiveMode.Read, leaveOpen: false);
            _entries = _archive.Entries.Where(e => !e.FullName.EndsWith('/'))
                .ToDictionary(e => e.FullName, StringComparer.Ordinal);
        }
        catch (InvalidDataException e)
        {
            _file?.Dispose();
            throw new ZarrStoreException($"'{FilePath}' is not a readable zip file: {e.Message}", null, e);
        }
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        GetRangeAsync(key, ByteRange.FromOffset(0, long.MaxValue), cancellationToken);

    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default)
    {
        StoreKey.Validate(key); // the same keys as a folder takes, whatever the zip's entries are named
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_pending.TryGetValue(key, out var pendingValue))
            {
                if (pendingValue is null) return ValueTask.FromResult<byte[]?>(null);
                var (o, l) = range.Resolve(pendingValue.Length);
                return ValueTask.FromResult<byte[]?>(pendingValue.AsSpan((int)o, l).ToArray());
            }
            if (!_entries.TryGetValue(key, out var entry)) return ValueTask.FromResult<byte[]?>(null);
            var (offset, length) = range.Resolve(entry.Length);
            using var stream = entry.Open();
            if (stream.CanSeek) stream.Seek(offset, SeekOrigin.Begin);
            else Skip(stream, offset);
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            return ValueTask.FromResult<byte[]?>(buffer);
        }
    }

    private static void Skip(Stream stream, long count)
    {
        var scratch = new byte[Math.Min(count, 81920)];
        while (count > 0)
        {
            var n = stream.Read(scratch, 0, (int)Math.Min(count, scratch.Length));
            if (n == 0) throw new EndOfStreamException();
            count -= n;
        }
    }

    public ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreKey.Validate(key);
        lock (_gate)
        {
            if (_pending.TryGetValue(key, out var v)) return ValueTask.FromResult<long?>(v?.Length);
            return ValueTask.FromResult<long?>(_entries.TryGetValue(key, out var e) ? e.Length : null);
        }
    }

    public async ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetSizeAsync(key, cancellationToken).ConfigureAwait(false) is not null;

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        EnsureWritable(key);
        lock (_gate) _pending[key] = value.ToArray();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        EnsureWritable(key);
        lock (_gate)
        {
            var exists = _pending.TryGetValue(key, out var v) ? v is not null : _entries.ContainsKey(key);
            if (exists) return ValueTask.FromResult(false);
            _pending[key] = value.ToArray();
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        EnsureWritable(key);
        lock (_gate) _pending[key] = null;
        return ValueTask.CompletedTask;
    }

    private List<string> SnapshotKeys()
    {
        lock (_gate)
        {
            var keys = new HashSet<string>(_entries.Keys, StringComparer.Ordinal);
            foreach (var (k, v) in _pending)
                if (v is null) keys.Remove(k); else keys.Add(k);
            return keys.ToList();
        }
    }

    public async IAsyncEnumerable<string> ListPrefixAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var key in SnapshotKeys())
            if (key.StartsWith(prefix, StringComparison.Ordinal)) yield return key;
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListDirectoryAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        prefix = StoreKey.NormalizePrefix(prefix);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in SnapshotKeys())
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = key[prefix.Length..];
            var slash = rest.IndexOf('/');
            var name = slash < 0 ? rest : rest[..slash];
            if (seen.Add(name)) yield return name;
        }
        await Task.CompletedTask;
    }

    /// <summary>Writes a new zip with every pending change and swaps it in atomically.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_pending.Count == 0) return;
            var dir = Path.GetDirectoryName(FilePath)!;
            Directory.CreateDirectory(dir);
            var temp = Path.Combine(dir, DirectoryStore.TempName(".zip"));
            try
            {
                using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true)) WriteEntries(zip);
                    // The new zip is on the device before it replaces the old one, and its name after (DurableFiles).
                    output.Flush(flushToDisk: true);
                }
                _archive?.Dispose();
                _archive = null;
                File.Move(temp, FilePath, overwrite: true);
                DurableFiles.FlushDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try { File.Delete(temp); } catch (IOException) { }
                throw ZarrStoreException.FromFileSystem(e, FilePath, "");
            }
            _pending.Clear();
            OpenArchive();
        }
    }

    /// <summary>The entries of the zip being written: those kept, then the changed ones, each in name order.</summary>
    private void WriteEntries(ZipArchive zip)
    {
        foreach (var (name, entry) in _entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (_pending.ContainsKey(name)) continue;
            using var source = entry.Open();
            using var target = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            source.CopyTo(target);
        }
        foreach (var (name, value) in _pending.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (value is null) continue;
            using var target = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            target.Write(value);
        }
    }

    // A killed write-out leaves its new zip, unfinished, beside the old one.
    public IReadOnlyList<StoreLeftover> ListLeftovers(TimeSpan olderThan)
    {
        var dir = Path.GetDirectoryName(FilePath)!;
        if (!Directory.Exists(dir)) return [];
        var cutoff = DateTime.UtcNow - olderThan;
        return Directory.EnumerateFiles(dir, DirectoryStore.TempPrefix + "*.zip").Order(StringComparer.Ordinal)
            .Select(f => DirectoryStore.TempLeftover(f, cutoff, "an unfinished zip file of a write-out that never finished")).ToList();
    }

    public void RemoveLeftover(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) != Path.GetDirectoryName(FilePath) || !Path.GetFileName(full).StartsWith(DirectoryStore.TempPrefix, StringComparison.Ordinal))
            throw new ZarrStoreException($"'{path}' is not a leftover of this store");
        if (IsReadOnly) throw ZarrStoreException.ReadOnly($"Store {Location}");
        if (File.Exists(full)) File.Delete(full);
    }

    private void EnsureWritable(string key)
    {
        ThrowIfDisposed();
        if (IsReadOnly) throw ZarrStoreException.ReadOnly($"Store {Location}", key);
        StoreKey.Validate(key);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public void Dispose()
    {
        if (_disposed) return;
        if (!IsReadOnly) Flush();
        lock (_gate)
        {
            _disposed = true;
            _archive?.Dispose();
            _writerLock?.Dispose();
        }
    }
}
