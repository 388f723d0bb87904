using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// A ZarrAudio archive mounted at a group of a store: numbered recordings, each committed by writing its group's
/// zarr.json last, ids and source hashes claimed with the store's exclusive create. This is the façade: it mounts,
/// lists and hands out recordings, and passes the rest to its rooms (<see cref="RecordingImport"/>,
/// <see cref="RecordingChanges"/>, <see cref="ArchiveRepair"/>, <see cref="RecordingClaims"/>, <see cref="RecordingCatalog"/>).
/// </summary>
public sealed partial class AudioArchive : IDisposable
{
    private readonly bool _ownsStore;
    private readonly ArchiveStore _place;
    private readonly RecordingCatalog _catalog;
    private readonly RecordingCache _recordings;
    private readonly RecordingClaims _claims;
    private readonly RecordingImport _import;
    private readonly RecordingChanges _changes;
    private readonly ArchiveRepair _repair;
    private readonly Segments.SegmentSets _sets;

    private AudioArchive(IReadableStore store, string mountPath, bool ownsStore, int layout, int idsPerPage)
    {
        _ownsStore = ownsStore;
        _place = new ArchiveStore(store, mountPath, layout);
        _catalog = new RecordingCatalog(store, mountPath, idsPerPage);
        _recordings = new RecordingCache(_place);
        _claims = new RecordingClaims(_place, _recordings);
        var updates = new CatalogUpdates(_place, _catalog);
        _import = new RecordingImport(_place, _claims, updates, _recordings);
        _changes = new RecordingChanges(_place, _claims, updates, _recordings);
        _sets = new Segments.SegmentSets(_place);
        _repair = new ArchiveRepair(_place, _claims, _catalog, _sets);
    }

    /// <summary>True when the archive keeps a catalog (layout 2): every change of a recording's metadata updates it.</summary>
    public bool HasCatalog => _place.HasCatalog;

    /// <summary>
    /// True when listing reads the catalog (a dozen requests for 10,000 recordings) rather than every recording's
    /// zarr.json: the default on object stores and web servers, where each read is a round trip. Local stores read
    /// the recordings themselves, which is as fast and always the truth.
    /// </summary>
    public bool UsesCatalog
    {
        get => _usesCatalog ?? (HasCatalog && (Store.IsRemote || !Store.CanList()));
        set => _usesCatalog = value;
    }
    private bool? _usesCatalog;

    /// <summary>
    /// How long an import's claim stays valid without renewal. The importer renews it every third of that while it
    /// works; a claim whose lease ran out is abandoned, whatever host made it, and a repair may remove its data.
    /// Hosts' clocks must agree to well within two thirds of it.
    /// </summary>
    public TimeSpan ClaimLease
    {
        get => _claims.Lease;
        set => _claims.Lease = value;
    }

    /// <summary>Said once at mount: why writing this archive needs care (a server without exclusive create, mounted -SingleWriter).</summary>
    public string? Warning => (Store as IWritableStore)?.ConcurrencyWarning;

    public IReadableStore Store => _place.Store;
    /// <summary>The group the archive is mounted at, inside the store ("" for the root).</summary>
    public string MountPath => _place.MountPath;
    public string Location => _place.Location;
    public bool IsReadOnly => !Store.CanWrite();
    /// <summary>False once dismounted (disposed): every operation then fails with <see cref="ArchiveDismountedException"/>.</summary>
    public bool IsMounted => _place.IsMounted;
    /// <summary>True when changes are stored only by <see cref="Flush"/> (or dismounting): a .zip archive.</summary>
    public bool BuffersWrites => Store is IWritableStore { BuffersWrites: true };

    /// <summary>Stores every change made so far (a .zip is rewritten); nothing to do for stores that write through.</summary>
    public void Flush()
    {
        _place.ThrowIfDismounted();
        (Store as IWritableStore)?.Flush();
    }

    /// <summary>Mounts (and with <paramref name="create"/>, creates) the archive at a group of an open store.</summary>
    public static async Task<AudioArchive> MountAsync(IReadableStore store, string group = "", bool create = false, bool ownsStore = false, CancellationToken ct = default)
    {
        var path = NodeName.NormalizePath(group);
        ZarrGroup node;
        var probed = false;
        try
        {
            node = await ZarrGroup.OpenAsync(store, path, ct).ConfigureAwait(false);
        }
        catch (ZarrNodeNotFoundException) when (create)
        {
            // Nothing is created on a store that concurrent writers could not share safely.
            await ThrowIfUnsafeAsync(store, path, ct).ConfigureAwait(false);
            probed = true;
            node = await ZarrGroup.OpenOrCreateAsync(store.Writable(), path, ArchiveLayout.ArchiveMarker(), ct).ConfigureAwait(false);
        }
        catch (ZarrNodeNotFoundException e)
        {
            throw new ArchiveFormatException($"There is no archive {Where(path, store)}; mount with -Create to make one.", e);
        }
        var marker = node.Attributes[ArchiveLayout.MarkerKey] as JsonObject;
        if (marker is null)
        {
            var hasChildren = false;
            if (store.CanList())
                await foreach (var _ in node.ListChildrenAsync(ct).ConfigureAwait(false)) { hasChildren = true; break; }
            if (!create || node.Attributes.Count > 0 || hasChildren)
                throw new ArchiveFormatException($"The group {Where(path, store)} is not a ZarrAudio archive.");
            await node.SetAttributesAsync(ArchiveLayout.ArchiveMarker(), ct).ConfigureAwait(false);
            marker = ArchiveLayout.ArchiveMarker()[ArchiveLayout.MarkerKey] as JsonObject;
        }
        int layout, idsPerPage;
        try
        {
            if (marker!["kind"]?.GetValue<string>() != "archive" || marker["layout"]?.GetValue<int>() > ArchiveLayout.Version)
                throw new ArchiveFormatException($"The group {Where(path, store)} has archive layout {marker["layout"]}, newer than this ZarrAudio ({ArchiveLayout.Version}).");
            layout = marker["layout"]?.GetValue<int>() ?? 1;
            idsPerPage = marker["catalog"]?["ids_per_page"]?.GetValue<int>() is > 0 and var perPage ? perPage : RecordingCatalog.IdsPerPage;
        }
        catch (Exception e) when (MalformedData.Is(e))
        {
            throw new ArchiveFormatException($"The archive marker of the group {Where(path, store)} is malformed ({e.Message}): this is not an archive this ZarrAudio can read.", e);
        }
        var archive = new AudioArchive(store, path, ownsStore, layout, idsPerPage);
        if (store.CanWrite())
        {
            if (!probed) await ThrowIfUnsafeAsync(store, path, ct).ConfigureAwait(false);
            // A writable mount of a layout-1 archive gives it a catalog; the marker says layout 2 only once it is
            // complete, so older versions of ZarrAudio (which would not keep it) refuse to write from then on.
            if (!archive.HasCatalog) await archive.RebuildCatalogAsync(ct).ConfigureAwait(false);
        }
        return archive;
    }

    /// <summary>Where a group is, for messages: "in file:///data/a" for the store's root, "'bats' in file:///data/a" below it.</summary>
    private static string Where(string path, IReadableStore store) => path.Length == 0 ? $"in {store.Location}" : $"'{path}' in {store.Location}";

    /// <summary>Refuses to write where concurrent writers could silently overwrite each other (see <see cref="IWritableStore.EnforcesExclusiveCreateAsync"/>).</summary>
    private static async Task ThrowIfUnsafeAsync(IReadableStore store, string path, CancellationToken ct)
    {
        var scratch = ArchiveLayout.Join(path, ".zarraudio-probe-" + Guid.NewGuid().ToString("N"));
        if (!await store.Writable().EnforcesExclusiveCreateAsync(scratch, ct).ConfigureAwait(false))
            throw new UnsafeStoreException($"{store.Location} does not refuse a second exclusive create of a key (a PUT with If-None-Match: * over an existing object succeeded), so two importers could take the same id or overwrite each other's claims without an error. Mount it read-only, or with -SingleWriter if no other process will write it.");
    }

    /// <summary>Opens a store from a location (directory, .zip, memory://name, s3://, az://, http(s)://) and mounts the archive in it.</summary>
    public static async Task<AudioArchive> MountAsync(string location, string group, bool create, bool readOnly = false, CancellationToken ct = default,
        Zarr.Stores.Remote.RemoteStoreOptions? remote = null)
    {
        IReadableStore store;
        try { store = StoreLocation.Open(location, create, readOnly, remote); }
        catch (StoreAddressException e) when (!e.IsMalformed) { throw new ArchiveFormatException(e.Message, e); }
        try
        {
            if (create && store is IWritableStore { IsReadOnly: false } writable) await writable.CreateIfMissingAsync(ct).ConfigureAwait(false);
            return await MountAsync(store, group, create, ownsStore: true, ct).ConfigureAwait(false);
        }
        catch { store.Dispose(); throw; }
    }

    /// <summary>Writes the catalog afresh from the recordings and marks the archive as keeping one (layout 2).</summary>
    public Task RebuildCatalogAsync(CancellationToken ct = default) => _repair.RebuildCatalogAsync(ct);

    /// <summary>Ids of committed recordings, ascending.</summary>
    public async Task<IReadOnlyList<long>> ListIdsAsync(CancellationToken ct = default)
    {
        _place.ThrowIfDismounted();
        if (await ReadCatalogAsync(ct).ConfigureAwait(false) is { } catalog) return [.. catalog.Keys];
        var ids = await _place.ListNumberedAsync(ct).ConfigureAwait(false);
        var committed = await ArchiveStore.ForEachIdAsync(ids, _place.IsCommittedAsync, ct).ConfigureAwait(false);
        return ids.Where((_, i) => committed[i]).ToList();
    }

    /// <summary>
    /// Every committed recording, in id order, loaded in parallel (one metadata read each; uncommitted ids are
    /// skipped). A recording whose metadata is damaged does not hide the others: it is passed to
    /// <paramref name="damaged"/> (in id order, after the listing), or, without it, the first is thrown.
    /// </summary>
    public async Task<IReadOnlyList<Recording>> GetRecordingsAsync(CancellationToken ct = default, Action<long, CorruptRecordingException>? damaged = null)
    {
        _place.ThrowIfDismounted();
        if (await ReadCatalogAsync(ct).ConfigureAwait(false) is { } catalog)
            return catalog.Select(entry => _recordings.Remember(entry.Key, entry.Value)).ToList();
        var ids = await _place.ListNumberedAsync(ct).ConfigureAwait(false);
        var results = await ArchiveStore.ForEachIdAsync(ids, async (id, c) =>
        {
            try { return (Recording: await _recordings.TryGetAsync(id, refresh: true, c).ConfigureAwait(false), Damage: (CorruptRecordingException?)null); }
            catch (CorruptRecordingException e) { return (null, e); }
        }, ct).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
            if (results[i].Damage is { } e)
            {
                if (damaged is null) throw e;
                damaged(ids[i], e);
            }
        return results.Select(r => r.Recording).OfType<Recording>().ToList();
    }

    /// <summary>
    /// The recording. Without <paramref name="refresh"/> a recording this archive object has seen is returned as it
    /// was (reads verify what they fetch, and fail with <see cref="RecordingNotFoundException"/> if it was removed);
    /// with it, its metadata is read again, so changes and removals by other processes are seen.
    /// </summary>
    public async Task<Recording> GetRecordingAsync(long id, CancellationToken ct = default, bool refresh = false) =>
        await _recordings.TryGetAsync(id, refresh, ct).ConfigureAwait(false) ?? throw new RecordingNotFoundException(id, Location);

    /// <summary>
    /// The committed recordings' attributes from the catalog, when listing goes through it; null to list the store.
    /// A damaged page is the catalog's problem, not the archive's: the store is listed instead where it can be.
    /// </summary>
    private async Task<SortedDictionary<long, JsonObject>?> ReadCatalogAsync(CancellationToken ct)
    {
        if (!UsesCatalog) return null;
        try { return await _catalog.ReadAsync(ct).ConfigureAwait(false) ?? (Store.CanList() ? null : new SortedDictionary<long, JsonObject>()); }
        catch (CatalogDamagedException) when (Store.CanList()) { return null; }
    }

    /// <summary>Imports a file ffmpeg can decode (audio, or video with audio).</summary>
    public Task<Recording> ImportFileAsync(string path, ImportOptions? options = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        _import.ImportFileAsync(path, options ?? new ImportOptions(), progress, ct);

    /// <summary>
    /// Imports a file as <see cref="ImportFileAsync"/> does, except that a FLAC source whose format changes midway
    /// becomes one recording per constant part (in order) instead of an error.
    /// </summary>
    public Task<IReadOnlyList<Recording>> ImportFilePartsAsync(string path, ImportOptions? options = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        _import.ImportFilePartsAsync(path, options ?? new ImportOptions(), progress, ct);

    /// <summary>
    /// Imports samples given directly: 1-D (mono) or 2-D [frame, channel] arrays, or one array per channel, of sbyte,
    /// byte (unsigned 8-bit), short, int (32-bit, or <see cref="ImportOptions.BitsPerSample"/>), float or double.
    /// The codec is chosen as for files: with Auto, float and double arrays are stored exactly (PCM).
    /// </summary>
    public Task<Recording> ImportSamplesAsync(Array samples, int sampleRate, ImportOptions? options = null, string? name = null, CancellationToken ct = default) =>
        _import.ImportSamplesAsync(samples, sampleRate, options ?? new ImportOptions(), name, ct);

    /// <summary>Removes a recording and its source-hash claim. Its id is never reused.</summary>
    public Task RemoveAsync(long id, CancellationToken ct = default) => _changes.RemoveAsync(id, ct);

    /// <summary>Names the IANA time zone recording <paramref name="id"/>'s clock ran in (see <see cref="Metadata.RecordingTime.SetZone"/>).</summary>
    public Task<Recording> SetTimeZoneAsync(long id, string zone, CancellationToken ct = default) => _changes.SetTimeZoneAsync(id, zone, ct);

    /// <summary>Changes user metadata: merge (null values delete keys), or replace; then remove the named keys.</summary>
    public Task<Recording> SetUserMetadataAsync(long id, System.Collections.IDictionary? changes, UserMetadataChange change, IEnumerable<string>? remove = null, CancellationToken ct = default) =>
        _changes.SetUserMetadataAsync(id, changes, change, remove, ct);

    /// <summary>
    /// Finds what killed or failed operations left behind: data of ids never committed (or half removed) whose
    /// importer is gone, hash claims and metadata locks of gone holders, the store's unfinished temporary files.
    /// Nothing a live process is using is listed: an import is live while its lease holds (its importer renews it,
    /// whatever host it runs on) and its process runs on this host; a claim written before leases existed is live for
    /// <paramref name="maxAge"/> (default one day). Catalog changes whose writer is gone are folded into their pages, and a
    /// damaged catalog (or none) is rebuilt.
    /// </summary>
    public async Task<IReadOnlyList<RepairItem>> FindRepairsAsync(TimeSpan? maxAge = null, CancellationToken ct = default) =>
        (await _repair.FindAsync(maxAge, ct).ConfigureAwait(false)).Items;

    /// <summary>What <see cref="FindRepairsAsync"/> finds, with the temporary files a repair leaves alone (their writer may be at work).</summary>
    public Task<RepairPlan> PlanRepairsAsync(TimeSpan? maxAge = null, CancellationToken ct = default) => _repair.FindAsync(maxAge, ct);

    /// <summary>Removes one thing <see cref="FindRepairsAsync"/> found (checked again first: it may have changed since).</summary>
    public Task ApplyRepairAsync(RepairItem item, TimeSpan? maxAge = null, CancellationToken ct = default) => _repair.ApplyAsync(item, maxAge, ct);

    /// <summary>Finds and removes everything <see cref="FindRepairsAsync"/> lists; returns the ids whose data it removed.</summary>
    public async Task<IReadOnlyList<long>> RepairAsync(TimeSpan? maxAge = null, CancellationToken ct = default)
    {
        var items = await FindRepairsAsync(maxAge, ct).ConfigureAwait(false);
        foreach (var item in items) await ApplyRepairAsync(item, maxAge, ct).ConfigureAwait(false);
        return items.Where(i => i.Kind == RepairKind.UncommittedData).Select(i => i.Id!.Value).ToList();
    }

    public void Dispose()
    {
        if (!_place.IsMounted) return;
        _place.Dismount();
        _recordings.Clear();
        if (_ownsStore) Store.Dispose();
    }
}
