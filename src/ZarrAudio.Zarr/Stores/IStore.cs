namespace ZarrAudio.Zarr.Stores;

/// <summary>
/// A key/value store as the Zarr v3 specification sees it: keys are '/'-separated strings with no leading slash,
/// values are byte strings. A store implements the capabilities it has (as zarrs splits them): every store reads
/// (<see cref="IReadableStore"/>); most also list (<see cref="IListableStore"/>) and write (<see cref="IWritableStore"/>),
/// which together make an <see cref="IStore"/>; a web server only reads. Everything is asynchronous and ranged reads
/// are first class, so network stores fit without a file system underneath.
/// </summary>
public interface IReadableStore : IDisposable
{
    /// <summary>A short description for messages, e.g. <c>file:///data/archive</c>.</summary>
    string Location { get; }

    /// <summary>True when every request is a network round trip (S3, Azure, HTTP): archives list through their catalog.</summary>
    bool IsRemote => false;

    /// <summary>The whole value, or null when the key is absent.</summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Part of the value (clamped to its size), or null when the key is absent.</summary>
    ValueTask<byte[]?> GetRangeAsync(string key, ByteRange range, CancellationToken cancellationToken = default);

    /// <summary>Size of the value in bytes, or null when the key is absent.</summary>
    ValueTask<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default);

    ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>A store that can say which keys it holds.</summary>
public interface IListableStore : IReadableStore
{
    /// <summary>Every key that starts with <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The names directly below <paramref name="prefix"/> (which is empty or ends with '/'): keys without a
    /// further '/' and the first segment of deeper keys, each once.
    /// </summary>
    IAsyncEnumerable<string> ListDirectoryAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>A store that can be written, including the exclusive create every shared archive relies on.</summary>
public interface IWritableStore : IReadableStore
{
    /// <summary>True when it was opened read-only: then <see cref="SetAsync"/>, <see cref="SetIfAbsentAsync"/> and <see cref="DeleteAsync"/> throw.</summary>
    bool IsReadOnly { get; }

    /// <summary>Writes the value; a reader sees either the old or the new value, never a part.</summary>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Writes the value only if the key is absent. Exactly one of many concurrent callers wins.</summary>
    /// <returns>True if this call created the key.</returns>
    ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Removes the key; absent keys are not an error.</summary>
    ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Creates the bucket or container that holds the store when it is missing (mounting with -Create); local stores create themselves.</summary>
    ValueTask CreateIfMissingAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Why concurrent writers are unsafe on this store, when they are and the caller accepted it; null otherwise.</summary>
    string? ConcurrencyWarning => null;

    /// <summary>
    /// True when the server refuses a second <see cref="SetIfAbsentAsync"/> of one key, which every writer of an archive
    /// shared between processes relies on. Local stores do by construction; an object store is asked by writing
    /// <paramref name="scratchKey"/> twice (and removing it).
    /// </summary>
    ValueTask<bool> EnforcesExclusiveCreateAsync(string scratchKey, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    /// <summary>True when writes are kept until <see cref="Flush"/> (a .zip); false when every write is stored at once.</summary>
    bool BuffersWrites => false;

    /// <summary>Stores every write made so far; nothing to do for stores that write through.</summary>
    void Flush() { }
}

/// <summary>
/// A store whose own writes can leave something behind when a process is killed (temporary files, empty folders),
/// which it can find and remove again.
/// </summary>
public interface IStoreWithLeftovers : IWritableStore
{
    /// <summary>
    /// What the store's writes left behind: each path, with what it is, and whether a writer may still be at work on it
    /// (<see cref="StoreLeftover.InUse"/>: its writer runs, or is unknown and it is younger than <paramref name="olderThan"/>).
    /// </summary>
    IReadOnlyList<StoreLeftover> ListLeftovers(TimeSpan olderThan);

    /// <summary>Removes one of <see cref="ListLeftovers"/>.</summary>
    void RemoveLeftover(string path);
}

/// <summary>A temporary file or empty folder a store's write left; removable unless <see cref="InUse"/>.</summary>
public sealed record StoreLeftover(string Path, string What, bool InUse = false);

/// <summary>A store that reads, lists and writes: directories, zip files, memory, S3 and Azure Blob.</summary>
public interface IStore : IListableStore, IWritableStore;
