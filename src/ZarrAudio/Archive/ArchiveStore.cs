using System.Globalization;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// Where an archive is mounted: the store, the group inside it, its layout, and whether it is still mounted. Every
/// room of the archive (claims, catalog, recordings, import, changes, repair) works through this place; none of them
/// holds the <see cref="AudioArchive"/> façade.
/// </summary>
internal sealed class ArchiveStore(IReadableStore store, string mountPath, int layout)
{
    public IReadableStore Store => store;

    /// <summary>The store for a change: an archive is written only where it can also be listed and read (every store but HTTP).</summary>
    public IStore Writable
    {
        get
        {
            ThrowIfNotWritable();
            return (IStore)store;
        }
    }
    /// <summary>The group the archive is mounted at, inside the store ("" for the root).</summary>
    public string MountPath => mountPath;
    public string Location => mountPath.Length == 0 ? store.Location : $"{store.Location}#{mountPath}";

    /// <summary>The archive layout (<see cref="ArchiveLayout"/>); it rises to 2 once a catalog is built.</summary>
    public int Layout { get; set; } = layout;
    public bool HasCatalog => Layout >= ArchiveLayout.CatalogVersion;

    private volatile bool _dismounted;
    public bool IsMounted => !_dismounted;
    public void Dismount() => _dismounted = true;

    public void ThrowIfDismounted()
    {
        if (_dismounted) throw new ArchiveDismountedException(Location);
    }

    /// <summary>For changes: mounted, and not read-only.</summary>
    public void ThrowIfNotWritable()
    {
        ThrowIfDismounted();
        if (store is not IStore || !store.CanWrite())
            throw ZarrStoreException.ReadOnlyBecause(store is IWritableStore
                ? $"Archive {Location} is mounted read-only: mount it again without -ReadOnly to change it."
                : $"Archive {Location} is read over HTTP, which only reads: change it where it is written (a folder, S3 or Azure) and publish it again.");
    }

    public string RecordingPath(long id) => ArchiveLayout.RecordingPath(mountPath, id);
    public string Key(string rest) => ArchiveLayout.Join(mountPath, rest);

    /// <summary>A recording is committed once its group's zarr.json exists (written last by an import).</summary>
    public async Task<bool> IsCommittedAsync(long id, CancellationToken ct) =>
        await store.ExistsAsync(NodeName.MetadataKey(RecordingPath(id)), ct).ConfigureAwait(false);

    /// <summary>The names below the mount group that are recording ids (committed or not), ascending.</summary>
    public async Task<List<long>> ListNumberedAsync(CancellationToken ct)
    {
        if (store is not IListableStore listable)
            throw new ArchiveFormatException(HasCatalog
                ? $"{Location} cannot be listed: it is read over HTTP, which has no listing, and this needs one."
                : $"{Location} has no catalog (it was written by a ZarrAudio older than layout 2), and a web server cannot list what it holds. Mount the original folder once for writing, which adds the catalog, then publish it again.");
        var ids = new List<long>();
        await foreach (var name in listable.ListDirectoryAsync(mountPath, ct).ConfigureAwait(false))
            if (TryParseId(name, out var id)) ids.Add(id);
        ids.Sort();
        return ids;
    }

    /// <summary>Runs a per-id store query for many ids at once (stores answer faster in parallel), results in id order.</summary>
    public static async Task<T[]> ForEachIdAsync<T>(List<long> ids, Func<long, CancellationToken, Task<T>> query, CancellationToken ct)
    {
        var results = new T[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = 16 },
            async (i, c) => results[i] = await query(ids[i], c).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    private static bool TryParseId(string name, out long id) =>
        long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && name == id.ToString(CultureInfo.InvariantCulture);
}
