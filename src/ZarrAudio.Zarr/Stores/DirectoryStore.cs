using System.Runtime.CompilerServices;

namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// A store in a local directory: one file per key. Writes go to a temporary file that is renamed into
/// place, so readers never see a partial value; <see cref="SetIfAbsentAsync"/> hard-links the finished
/// temporary file to the key, which the file system refuses atomically when the key exists, across processes.
/// Durable when a write returns (<see cref="DurableFiles"/>): the temporary file is flushed before it is published, and
/// the folders holding the key after, so a power cut leaves either the old value or the whole new one; a delete is
/// flushed too, so a recording un-committed before its data is removed stays un-committed.
/// </summary>
public sealed class DirectoryStore : IStore, IStoreWithLeftovers
{
    public const string TempPrefix = ".zarraudio-tmp-";

    public DirectoryStore(string root, bool readOnly = false, bool create = false)
    {
        Root = Path.GetFullPath(root);
        IsReadOnly = readOnly;
        if (File.Exists(Root)) throw ZarrStoreException.WrongKind($"'{Root}' is a file. An archive is a folder (a directory store) or a .zip file.", isFile: true);
        if (!Directory.Exists(Root))
        {
            if (!create || readOnly) throw new ZarrStoreException($"Directory '{Root}' does not exist");
            try
            {
                Directory.CreateDirectory(Root);
                // The new folder's name is in its parent; folders above it are not the store's, and may not be
                // readable (a home folder of mode 711), so that flush is the one made, and only where it can be.
                DurableFiles.FlushDirectory(Path.GetDirectoryName(Root) ?? Root, bestEffort: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw ZarrStoreException.FromFileSystem(e, Location, ""); }
        }
    }

    public string Root { get; }
    public bool IsReadOnly { get; }
    public string Location => new Uri(Root).AbsoluteUri;

    private string PathOf(string key)
    {
        StoreKey.Validate(key);
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        try { return await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (UnauthorizedAccessException) when (Directory.Exists(PathOf(key))) { return null; }
    }

    public ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default)
    {
        // RandomAccess reads at an offset without a shared file position, so many threads may read one file.
        try
        {
            using var handle = File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var (offset, length) = range.Resolve(RandomAccess.GetLength(handle));
            var buffer = GC.AllocateUninitializedArray<byte>(length);
            var done = 0;
            while (done < length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
                if (n == 0) throw new ZarrStoreException("Value shrank while it was read", key);
                done += n;
            }
            return ValueTask.FromResult<byte[]?>(buffer);
        }
        catch (FileNotFoundException) { return ValueTask.FromResult<byte[]?>(null); }
        catch (DirectoryNotFoundException) { return ValueTask.FromResult<byte[]?>(null); }
    }

    public ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(key));
        return ValueTask.FromResult<long?>(info.Exists ? info.Length : null);
    }

    public ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(File.Exists(PathOf(key)));

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var temp = await WriteTempAsync(key, value, cancellationToken).ConfigureAwait(false);
        try
        {
            File.Move(temp, PathOf(key), overwrite: true);
            FlushFoldersOf(key);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            RemoveEmptyParents(Path.GetDirectoryName(temp)!);
            if (e is IOException or UnauthorizedAccessException) throw ZarrStoreException.FromFileSystem(e, Location, key);
            throw;
        }
    }

    public async ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (File.Exists(path)) { EnsureWritable(key); return false; }
        var temp = await WriteTempAsync(key, value, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ExclusiveLink.TryPublish(temp, path)) return false;
            FlushFoldersOf(key);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ZarrStoreException.FromFileSystem(e, Location, key);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        EnsureWritable(key);
        var path = PathOf(key);
        try
        {
            File.Delete(path);
            DurableFiles.FlushDirectory(RemoveEmptyParents(Path.GetDirectoryName(path)!));
        }
        catch (DirectoryNotFoundException) { }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw ZarrStoreException.FromFileSystem(e, Location, key); }
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListPrefixAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Start from the deepest directory the prefix names, so listing one recording does not walk the archive.
        var slash = prefix.LastIndexOf('/');
        var dirKey = slash < 0 ? "" : prefix[..slash];
        var dir = dirKey.Length == 0 ? Root : Path.Combine(Root, dirKey.Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(dir)) yield break;
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(file).StartsWith(TempPrefix, StringComparison.Ordinal)) continue;
            var key = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal)) yield return key;
        }
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListDirectoryAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        prefix = StoreKey.NormalizePrefix(prefix);
        var dir = prefix.Length == 0 ? Root : Path.Combine(Root, prefix.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(dir)) yield break;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            if (!name.StartsWith(TempPrefix, StringComparison.Ordinal)) yield return name;
        }
        await Task.CompletedTask;
    }

    private async Task<string> WriteTempAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        EnsureWritable(key);
        var path = PathOf(key);
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, TempName());
        try
        {
            await using var stream = CreateTemp(dir, temp);
            await stream.WriteAsync(value, cancellationToken).ConfigureAwait(false);
            // The data reaches the device before the name that publishes it (fsync): a rename alone can outlive a crash
            // that loses the data, leaving an empty or partial file under the key.
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e)
        {
            // A failed or cancelled write leaves neither its temp file nor the folders it made.
            TryDelete(temp);
            RemoveEmptyParents(dir);
            if (e is IOException or UnauthorizedAccessException) throw ZarrStoreException.FromFileSystem(e, Location, key);
            throw;
        }
        return temp;
    }

    private static FileStream CreateTemp(string dir, string temp)
    {
        for (var attempt = 1; ; attempt++)
        {
            Directory.CreateDirectory(dir);
            try { return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous); }
            // Another writer's cleanup removed the folder, empty, between the two calls: make it again.
            catch (DirectoryNotFoundException) when (attempt < 5) { }
        }
    }

    private void EnsureWritable(string key)
    {
        if (IsReadOnly) throw ZarrStoreException.ReadOnly($"Store {Location}", key);
    }

    /// <summary>After a key is published: its folder and every folder up to the root are flushed, new ones included.</summary>
    private void FlushFoldersOf(string key) => DurableFiles.FlushDirectories(Path.GetDirectoryName(PathOf(key))!, Root);

    /// <summary>Removes the empty folders from <paramref name="dir"/> up; returns the first folder kept (to flush).</summary>
    private string RemoveEmptyParents(string dir)
    {
        while (dir.Length > Root.Length && dir.StartsWith(Root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(dir).Any()) return dir;
                Directory.Delete(dir);
            }
            catch (IOException) { return dir; }
            catch (UnauthorizedAccessException) { return dir; }
            dir = Path.GetDirectoryName(dir)!;
        }
        return dir;
    }

    /// <summary>A temporary file's name: the prefix, its writer (<see cref="ProcessStamp.FileTag"/>) and a unique part.</summary>
    internal static string TempName(string extension = "") => $"{TempPrefix}{ProcessStamp.FileTag}.{Guid.NewGuid():N}{extension}";

    /// <summary>A temporary file as a leftover: removable when its writer is gone, or unknown and the file older than the cutoff.</summary>
    internal static StoreLeftover TempLeftover(string path, DateTime cutoff, string what) =>
        ProcessStamp.WriterIsGone(Path.GetFileName(path), TempPrefix) switch
        {
            true => new(path, $"{what} (its writer, a process of this host, is gone)"),
            false => new(path, $"{what} (its writer still runs)", InUse: true),
            null when File.GetLastWriteTimeUtc(path) < cutoff => new(path, what),
            null => new(path, $"{what}, younger than {(DateTime.UtcNow - cutoff).TotalMinutes:0} minutes (its writer may still be at work)", InUse: true),
        };

    public IReadOnlyList<StoreLeftover> ListLeftovers(TimeSpan olderThan)
    {
        if (!Directory.Exists(Root)) return [];
        var cutoff = DateTime.UtcNow - olderThan;
        var files = Directory.EnumerateFiles(Root, TempPrefix + "*", SearchOption.AllDirectories)
            .Select(f => TempLeftover(f, cutoff, "a temporary file of a store write that never finished"));
        // A write killed between making its folder and its file leaves the folder empty; no key lists it.
        var folders = Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories)
            .Where(d => !Directory.EnumerateFileSystemEntries(d).Any() && Directory.GetLastWriteTimeUtc(d) < cutoff)
            .Select(d => new StoreLeftover(d, "an empty folder of a store write that never finished"));
        return files.Concat(folders).OrderBy(l => l.Path, StringComparer.Ordinal).ToList();
    }

    public void RemoveLeftover(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full)) return; // gone already (another repair, or its folder's cleanup)
        var isTemp = Path.GetFileName(full).StartsWith(TempPrefix, StringComparison.Ordinal) && File.Exists(full);
        var isEmptyFolder = Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(full).Any();
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !(isTemp || isEmptyFolder))
            throw new ZarrStoreException($"'{path}' is not a leftover of this store");
        EnsureWritable(Path.GetRelativePath(Root, full).Replace(Path.DirectorySeparatorChar, '/'));
        if (isTemp) TryDelete(full);
        RemoveEmptyParents(isTemp ? Path.GetDirectoryName(full)! : full);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public void Dispose() { }
}
