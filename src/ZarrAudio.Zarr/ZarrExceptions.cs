namespace ZarrAudio.Zarr;

/// <summary>Base of every error the Zarr layer raises; names the node and the store key involved.</summary>
public class ZarrException : Exception
{
    public string? NodePath { get; }
    public string? Key { get; }

    public ZarrException(string message, string? nodePath = null, string? key = null, Exception? inner = null)
        : base(Compose(message, nodePath, key), inner)
    {
        NodePath = nodePath;
        Key = key;
    }

    private static string Compose(string message, string? nodePath, string? key)
    {
        if (nodePath is null && key is null) return message;
        var where = key is not null ? $"key '{key}'" : $"node '{nodePath}'";
        if (key is not null && nodePath is not null) where = $"node '{nodePath}', key '{key}'";
        return $"{message} ({where})";
    }
}

/// <summary>A zarr.json that is malformed, incomplete, or asks for something this layer does not understand.</summary>
public sealed class ZarrMetadataException(string message, string? nodePath = null, string? key = null, Exception? inner = null)
    : ZarrException(message, nodePath, key, inner);

/// <summary>A codec that is unknown, misconfigured, or failed to decode its input.</summary>
public class ZarrCodecException(string message, string? nodePath = null, string? key = null, Exception? inner = null)
    : ZarrException(message, nodePath, key, inner);

/// <summary>A stored checksum that does not match the data.</summary>
public sealed class ZarrChecksumException(string message, string? nodePath = null, string? key = null)
    : ZarrCodecException(message, nodePath, key);

/// <summary>A chunk whose size does not match what its metadata promises (truncated or oversized).</summary>
public sealed class ZarrChunkSizeException(string message, string? nodePath = null, string? key = null)
    : ZarrCodecException(message, nodePath, key);

/// <summary>
/// Data that must exist and does not: an inner chunk its shard's index lists but the store no longer holds
/// (the shard vanished under a cached index), or a chunk of an array whose chunks are all required.
/// </summary>
public sealed class ZarrChunkMissingException(string message, string? nodePath = null, string? key = null)
    : ZarrCodecException(message, nodePath, key);

/// <summary>A requested region that lies outside the array.</summary>
public sealed class ZarrIndexOutOfRangeException(string message, string? nodePath = null)
    : ZarrException(message, nodePath);

/// <summary>A node that does not exist, or exists with the other node type.</summary>
public sealed class ZarrNodeNotFoundException(string message, string? nodePath = null, string? key = null)
    : ZarrException(message, nodePath, key);

/// <summary>A node name that the specification reserves or forbids.</summary>
public sealed class ZarrInvalidNodeNameException(string message, string? nodePath = null)
    : ZarrException(message, nodePath);

/// <summary>A store that cannot do what was asked (read-only, closed, I/O failure).</summary>
public sealed class ZarrStoreException(string message, string? key = null, Exception? inner = null)
    : ZarrException(message, null, key, inner)
{
    /// <summary>True when the write was refused because the store (or archive) is opened read-only.</summary>
    public bool IsReadOnly { get; private init; }

    /// <summary>Why the file system refused a write, when it said (a full disk, a read-only file system, permissions).</summary>
    public StoreFailure Failure { get; private init; } = StoreFailure.Other;

    /// <summary>The error for a write to a read-only store.</summary>
    public static ZarrStoreException ReadOnly(string location, string? key = null) => new($"{location} is read-only", key) { IsReadOnly = true };

    /// <summary>A write refused because of how the store was opened, said with what to do instead.</summary>
    public static ZarrStoreException ReadOnlyBecause(string message) => new(message) { IsReadOnly = true };

    /// <summary>A remote store's refusal or failure, said without credentials: where, what, and what the server said.</summary>
    public static ZarrStoreException Remote(StoreFailure failure, string location, string what, string? key = null, Exception? inner = null) =>
        new($"{location}: {what}", key, inner) { Failure = failure };

    /// <summary>A path that names the wrong kind of thing for this store: a file for a directory store, a folder for a zip.</summary>
    public static ZarrStoreException WrongKind(string message, bool isFile) =>
        new(message) { Failure = isFile ? StoreFailure.NotAFolder : StoreFailure.NotAFile };

    /// <summary>A file system's refusal of a write, said plainly: what failed, why, and that nothing was half stored.</summary>
    public static ZarrStoreException FromFileSystem(Exception error, string location, string key)
    {
        var (failure, why) = Classify(error);
        return new ZarrStoreException($"Could not write to {location}: {why}. Nothing of this write was stored.", key, error) { Failure = failure };
    }

    /// <summary>A store that cannot be opened for writing where it lies (a zip on a read-only file system): says how to read it.</summary>
    public static ZarrStoreException CannotOpenForWriting(Exception error, string location)
    {
        var (failure, why) = Classify(error);
        var place = failure == StoreFailure.ReadOnlyFileSystem ? "it is on a read-only file system" : why;
        return new ZarrStoreException($"{location} cannot be opened for writing: {place}. Mount it with -ReadOnly to read it.", null, error) { Failure = failure };
    }

    private static (StoreFailure Failure, string Why) Classify(Exception error)
    {
        // On Unix, .NET keeps the errno in HResult: ENOSPC 28, EDQUOT 122, EROFS 30.
        var failure = error switch
        {
            IOException { HResult: 28 or 122 } => StoreFailure.DiskFull,
            IOException { HResult: 30 } => StoreFailure.ReadOnlyFileSystem,
            UnauthorizedAccessException => StoreFailure.AccessDenied,
            _ => StoreFailure.Other,
        };
        var why = failure switch
        {
            StoreFailure.DiskFull => "the disk is full (no space left on the device or quota reached)",
            StoreFailure.ReadOnlyFileSystem => "the file system is mounted read-only",
            StoreFailure.AccessDenied => "permission was denied",
            _ => error.Message,
        };
        return (failure, why);
    }
}

public enum StoreFailure
{
    Other, DiskFull, ReadOnlyFileSystem, AccessDenied, NotAFolder, NotAFile,
    /// <summary>The bucket, container or web address does not exist.</summary>
    NotFound,
    /// <summary>The server could not be reached or kept failing after every retry.</summary>
    Unavailable,
    /// <summary>The server does not refuse a second exclusive create of a key, so concurrent writers are unsafe.</summary>
    NoExclusiveCreate,
}

/// <summary>A store that another writer holds (a zip archive has one writer at a time).</summary>
public sealed class ZarrStoreLockedException(string message, string lockPath) : ZarrException(message)
{
    public string LockPath { get; } = lockPath;
}

/// <summary>A codec's native library is not installed; the message names the package that provides it.</summary>
public sealed class NativeLibraryMissingException(string library, string package, IEnumerable<string> tried)
    : ZarrException($"The native library {library} cannot be loaded (tried {string.Join(", ", tried)}). Install it: {package}.")
{
    public string Library { get; } = library;
    public string Package { get; } = package;
}
