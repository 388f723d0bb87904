using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ZarrAudio.Codecs;
using ZarrAudio.Import;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// A ZarrAudio archive mounted at a group of a store: numbered recordings, each committed by writing its
/// group's zarr.json last, ids and source hashes claimed with the store's exclusive create.
/// </summary>
public sealed class AudioArchive : IDisposable
{
    private readonly ConcurrentDictionary<long, Recording> _recordings = new();
    private readonly bool _ownsStore;

    private readonly RecordingCatalog _catalog;

    private AudioArchive(IStore store, string mountPath, bool ownsStore, bool hasCatalog, int idsPerPage)
    {
        Store = store;
        MountPath = mountPath;
        _ownsStore = ownsStore;
        _catalog = new RecordingCatalog(store, mountPath, idsPerPage);
        HasCatalog = hasCatalog;
    }

    /// <summary>True when the archive keeps a catalog (layout 2): every change of a recording's metadata updates it.</summary>
    public bool HasCatalog { get; private set; }

    /// <summary>
    /// True when listing reads the catalog (a dozen requests for 10,000 recordings) rather than every recording's
    /// zarr.json: the default on object stores and web servers, where each read is a round trip. Local stores read
    /// the recordings themselves, which is as fast and always the truth.
    /// </summary>
    public bool UsesCatalog
    {
        get => _usesCatalog ?? (HasCatalog && (Store.IsRemote || !Store.CanList));
        set => _usesCatalog = value;
    }
    private bool? _usesCatalog;

    /// <summary>
    /// How long an import's claim stays valid without renewal. The importer renews it every third of that while it
    /// works; a claim whose lease ran out is abandoned, whatever host made it, and a repair may remove its data.
    /// Hosts' clocks must agree to well within two thirds of it.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Said once at mount: why writing this archive needs care (a server without exclusive create, mounted -SingleWriter).</summary>
    public string? Warning => Store.ConcurrencyWarning;

    public IStore Store { get; }
    /// <summary>The group the archive is mounted at, inside the store ("" for the root).</summary>
    public string MountPath { get; }
    public string Location => MountPath.Length == 0 ? Store.Location : $"{Store.Location}#{MountPath}";
    public bool IsReadOnly => Store.IsReadOnly;
    /// <summary>False once dismounted (disposed): every operation then fails with <see cref="ArchiveDismountedException"/>.</summary>
    public bool IsMounted => !_disposed;
    /// <summary>True when changes are stored only by <see cref="Flush"/> (or dismounting): a .zip archive.</summary>
    public bool BuffersWrites => Store.BuffersWrites;

    /// <summary>Stores every change made so far (a .zip is rewritten); nothing to do for stores that write through.</summary>
    public void Flush()
    {
        ThrowIfDismounted();
        Store.Flush();
    }

    private volatile bool _disposed;
    internal void ThrowIfDismounted()
    {
        if (_disposed) throw new ArchiveDismountedException(Location);
    }

    /// <summary>For changes: mounted, and not read-only.</summary>
    private void ThrowIfNotWritable()
    {
        ThrowIfDismounted();
        if (IsReadOnly) throw ZarrStoreException.ReadOnly($"Archive {Location}");
    }

    public static string Importer { get; } = "ZarrAudio " + typeof(AudioArchive).Assembly.GetName().Version?.ToString(3);

    /// <summary>Mounts (and with <paramref name="create"/>, creates) the archive at a group of an open store.</summary>
    public static async Task<AudioArchive> MountAsync(IStore store, string group = "", bool create = false, bool ownsStore = false, CancellationToken ct = default)
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
            node = await ZarrGroup.OpenOrCreateAsync(store, path, ArchiveLayout.ArchiveMarker(), ct).ConfigureAwait(false);
        }
        catch (ZarrNodeNotFoundException e)
        {
            throw new ArchiveFormatException($"There is no archive at '{path}' of {store.Location}; mount with -Create to make one.", e);
        }
        var marker = node.Attributes[ArchiveLayout.MarkerKey] as JsonObject;
        if (marker is null)
        {
            var hasChildren = false;
            if (store.CanList)
                await foreach (var _ in node.ListChildrenAsync(ct).ConfigureAwait(false)) { hasChildren = true; break; }
            if (!create || node.Attributes.Count > 0 || hasChildren)
                throw new ArchiveFormatException($"The group '{path}' of {store.Location} is not a ZarrAudio archive.");
            await node.SetAttributesAsync(ArchiveLayout.ArchiveMarker(), ct).ConfigureAwait(false);
            marker = ArchiveLayout.ArchiveMarker()[ArchiveLayout.MarkerKey] as JsonObject;
        }
        else if (marker["kind"]?.GetValue<string>() != "archive" || marker["layout"]?.GetValue<int>() > ArchiveLayout.Version)
            throw new ArchiveFormatException($"The group '{path}' of {store.Location} has archive layout {marker["layout"]}, newer than this ZarrAudio ({ArchiveLayout.Version}).");
        var layout = marker!["layout"]?.GetValue<int>() ?? 1;
        var idsPerPage = marker["catalog"]?["ids_per_page"]?.GetValue<int>() is > 0 and var perPage ? perPage : RecordingCatalog.IdsPerPage;
        var archive = new AudioArchive(store, path, ownsStore, hasCatalog: layout >= ArchiveLayout.CatalogVersion, idsPerPage);
        if (!store.IsReadOnly)
        {
            if (!probed) await ThrowIfUnsafeAsync(store, path, ct).ConfigureAwait(false);
            // A writable mount of a layout-1 archive gives it a catalog; the marker says layout 2 only once it is
            // complete, so older versions of ZarrAudio (which would not keep it) refuse to write from then on.
            if (!archive.HasCatalog) await archive.RebuildCatalogAsync(ct).ConfigureAwait(false);
        }
        return archive;
    }

    /// <summary>Refuses to write where concurrent writers could silently overwrite each other (see <see cref="IStore.EnforcesExclusiveCreateAsync"/>).</summary>
    private static async Task ThrowIfUnsafeAsync(IStore store, string path, CancellationToken ct)
    {
        var scratch = ArchiveLayout.Join(path, ".zarraudio-probe-" + Guid.NewGuid().ToString("N"));
        if (!await store.EnforcesExclusiveCreateAsync(scratch, ct).ConfigureAwait(false))
            throw new UnsafeStoreException($"{store.Location} does not refuse a second exclusive create of a key (a PUT with If-None-Match: * over an existing object succeeded), so two importers could take the same id or overwrite each other's claims without an error. Mount it read-only, or with -SingleWriter if no other process will write it.");
    }

    /// <summary>Writes the catalog afresh from the recordings and marks the archive as keeping one (layout 2).</summary>
    public async Task RebuildCatalogAsync(CancellationToken ct = default)
    {
        ThrowIfNotWritable();
        var ids = await ListNumberedAsync(ct).ConfigureAwait(false);
        var recordings = new Dictionary<long, JsonObject>();
        var groups = await ForEachIdAsync(ids, async (id, c) =>
        {
            try { return (await ZarrGroup.OpenAsync(Store, ArchiveLayout.RecordingPath(MountPath, id), c).ConfigureAwait(false)).Attributes; }
            catch (ZarrNodeNotFoundException) { return null; }
            catch (ZarrMetadataException) { return null; }
        }, ct).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
            if (groups[i] is { } attributes) recordings[ids[i]] = attributes;
        await _catalog.RebuildAsync(recordings, ids.Count == 0 ? 0 : ids[^1], ct).ConfigureAwait(false);
        if (!HasCatalog)
        {
            var node = await ZarrGroup.OpenAsync(Store, MountPath, ct).ConfigureAwait(false);
            var attributes = (JsonObject)node.Attributes.DeepClone();
            attributes[ArchiveLayout.MarkerKey] = ArchiveLayout.ArchiveMarker()[ArchiveLayout.MarkerKey]!.DeepClone();
            await node.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
            HasCatalog = true;
        }
    }

    /// <summary>Opens a store from a location (directory, .zip, memory://name, s3://, az://, http(s)://) and mounts the archive in it.</summary>
    public static async Task<AudioArchive> MountAsync(string location, string group, bool create, bool readOnly = false, CancellationToken ct = default,
        Zarr.Stores.Remote.RemoteStoreOptions? remote = null)
    {
        var store = StoreLocation.Open(location, create, readOnly, remote);
        try
        {
            if (create && !store.IsReadOnly) await store.CreateIfMissingAsync(ct).ConfigureAwait(false);
            return await MountAsync(store, group, create, ownsStore: true, ct).ConfigureAwait(false);
        }
        catch { store.Dispose(); throw; }
    }

    /// <summary>Ids of committed recordings, ascending.</summary>
    public async Task<IReadOnlyList<long>> ListIdsAsync(CancellationToken ct = default)
    {
        ThrowIfDismounted();
        if (await ReadCatalogAsync(ct).ConfigureAwait(false) is { } catalog) return [.. catalog.Keys];
        var ids = await ListNumberedAsync(ct).ConfigureAwait(false);
        var committed = await ForEachIdAsync(ids, IsCommittedAsync, ct).ConfigureAwait(false);
        return ids.Where((_, i) => committed[i]).ToList();
    }

    /// <summary>
    /// Every committed recording, in id order, loaded in parallel (one metadata read each; uncommitted ids are
    /// skipped). A recording whose metadata is damaged does not hide the others: it is passed to
    /// <paramref name="damaged"/> (in id order, after the listing), or, without it, the first is thrown.
    /// </summary>
    public async Task<IReadOnlyList<Recording>> GetRecordingsAsync(CancellationToken ct = default, Action<long, CorruptRecordingException>? damaged = null)
    {
        ThrowIfDismounted();
        if (await ReadCatalogAsync(ct).ConfigureAwait(false) is { } catalog)
            return catalog.Select(entry => Remember(entry.Key, entry.Value)).ToList();
        var ids = await ListNumberedAsync(ct).ConfigureAwait(false);
        var results = await ForEachIdAsync(ids, async (id, c) =>
        {
            try { return (Recording: await TryGetRecordingAsync(id, refresh: true, c).ConfigureAwait(false), Damage: (CorruptRecordingException?)null); }
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
        await TryGetRecordingAsync(id, refresh, ct).ConfigureAwait(false) ?? throw new RecordingNotFoundException(id, Location);

    /// <summary>The recording, or null when the id was never committed (or is gone).</summary>
    private async Task<Recording?> TryGetRecordingAsync(long id, bool refresh, CancellationToken ct)
    {
        ThrowIfDismounted();
        if (!refresh && _recordings.TryGetValue(id, out var cached)) return cached;
        ZarrGroup group;
        try { group = await ZarrGroup.OpenAsync(Store, ArchiveLayout.RecordingPath(MountPath, id), ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException)
        {
            if (_recordings.TryRemove(id, out var gone)) gone.Dispose();
            return null;
        }
        catch (ZarrMetadataException e)
        {
            throw new CorruptRecordingException($"Recording {id}'s metadata ({NodeName.MetadataKey(ArchiveLayout.RecordingPath(MountPath, id))}) is damaged: {e.Message}", e) { RecordingId = id };
        }
        return Remember(id, group.Attributes);
    }

    /// <summary>
    /// The recording object for these attributes: the cached one while they are unchanged (it keeps its open stream
    /// readers), else a new one that replaces it (another process, or this one, changed its metadata).
    /// </summary>
    private Recording Remember(long id, JsonObject attributes)
    {
        while (true)
        {
            if (!_recordings.TryGetValue(id, out var existing))
                return _recordings.GetOrAdd(id, new Recording(this, id, attributes));
            if (JsonNode.DeepEquals(existing.Attributes, attributes)) return existing;
            var fresh = new Recording(this, id, attributes);
            if (_recordings.TryUpdate(id, fresh, existing))
            {
                existing.Dispose();
                return fresh;
            }
        }
    }

    /// <summary>
    /// The committed recordings' attributes from the catalog, when listing goes through it; null to list the store.
    /// A damaged page is the catalog's problem, not the archive's: the store is listed instead where it can be.
    /// </summary>
    private async Task<SortedDictionary<long, JsonObject>?> ReadCatalogAsync(CancellationToken ct)
    {
        if (!UsesCatalog) return null;
        try { return await _catalog.ReadAsync(ct).ConfigureAwait(false) ?? (Store.CanList ? null : new SortedDictionary<long, JsonObject>()); }
        catch (CatalogDamagedException) when (Store.CanList) { return null; }
    }

    /// <summary>The names below the mount group that are recording ids (committed or not), ascending.</summary>
    private async Task<List<long>> ListNumberedAsync(CancellationToken ct)
    {
        if (!Store.CanList)
            throw new ArchiveFormatException(HasCatalog
                ? $"{Location} cannot be listed: it is read over HTTP, which has no listing, and this needs one."
                : $"{Location} has no catalog (it was written by a ZarrAudio older than layout 2), and a web server cannot list what it holds. Mount the original folder once for writing, which adds the catalog, then publish it again.");
        var ids = new List<long>();
        await foreach (var name in Store.ListDirectoryAsync(MountPath, ct).ConfigureAwait(false))
            if (TryParseId(name, out var id)) ids.Add(id);
        ids.Sort();
        return ids;
    }

    /// <summary>Runs a per-id store query for many ids at once (stores answer faster in parallel), results in id order.</summary>
    private static async Task<T[]> ForEachIdAsync<T>(List<long> ids, Func<long, CancellationToken, Task<T>> query, CancellationToken ct)
    {
        var results = new T[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = 16 },
            async (i, c) => results[i] = await query(ids[i], c).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>A recording is committed once its group's zarr.json exists (written last by an import).</summary>
    internal async Task<bool> IsCommittedAsync(long id, CancellationToken ct) =>
        await Store.ExistsAsync(NodeName.MetadataKey(ArchiveLayout.RecordingPath(MountPath, id)), ct).ConfigureAwait(false);

    /// <summary>Imports a file ffmpeg can decode (audio, or video with audio).</summary>
    public async Task<Recording> ImportFileAsync(string path, ImportOptions? options = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ThrowIfDismounted();
        options ??= new ImportOptions();
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"'{path}' does not exist.", path);
        // Hashing (for the duplicate check) reads the file beside ffprobe and the encoder; the hash is claimed the moment
        // it is known, and a duplicate stops the encoding then (issue 13: waiting for it cost 0.1 s of a 1 s import).
        using var hashing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var hash = Task.Run(() => HashFileAsync(file.FullName, hashing.Token), hashing.Token);
        SourceProbe probe;
        try { probe = await SourceProbe.ProbeAsync(file.FullName, options.AudioStream, ct).ConfigureAwait(false); }
        catch
        {
            hashing.Cancel();
            await TaskFailure.OfAsync(hash).ConfigureAwait(false); // the hash lets go of the file before this returns
            throw;
        }
        var source = new SourceLink
        {
            FileName = file.Name,
            FullPath = file.FullName,
            Size = file.Length,
            ModifiedAt = file.LastWriteTimeUtc,
        };
        var fileMetadata = new JsonObject { ["ffprobe"] = probe.Report };
        foreach (var (key, value) in RiffChunks.Read(file.FullName)) fileMetadata[key] = value?.DeepClone();
        var technical = new TechnicalMetadata
        {
            SampleRate = probe.SampleRate,
            Channels = probe.Channels,
            SampleFormat = probe.IsFloat ? "float" : "int",
            SourceCodec = probe.Codec,
            SourceContainer = probe.Container,
            SourceSampleFormat = probe.SampleFormat,
            SourceStreamIndex = probe.StreamIndex,
        };
        StructuredFields.Fill(technical, fileMetadata);
        var floats = new FloatConversion(probe.Channels);
        return await ImportCoreAsync(technical, source, fileMetadata, options, probe.Format, probe.EstimatedSamples, file.FullName, async (encoder, stored, report, token) =>
            await SourceDecoder.DecodeAsync(probe, stored, floats, async block =>
            {
                await encoder.WriteAsync(block, token).ConfigureAwait(false);
                report(encoder.SamplesWritten);
            }, token).ConfigureAwait(false), progress, ct, floats, hash).ConfigureAwait(false);
    }

    /// <summary>
    /// Imports samples given directly: 1-D (mono) or 2-D [frame, channel] arrays, or one array per channel, of sbyte,
    /// byte (unsigned 8-bit), short, int (32-bit, or <see cref="ImportOptions.BitsPerSample"/>), float or double.
    /// The codec is chosen as for files: with Auto, float and double arrays are stored exactly (PCM).
    /// </summary>
    public async Task<Recording> ImportSamplesAsync(Array samples, int sampleRate, ImportOptions? options = null, string? name = null, CancellationToken ct = default)
    {
        ThrowIfDismounted();
        options ??= new ImportOptions();
        var arrays = SampleArrays.From(samples, options.BitsPerSample);
        if (sampleRate < 1) throw new UnsupportedSourceException($"Sample rate {sampleRate} Hz is not valid: it must be at least 1 Hz.");
        var technical = new TechnicalMetadata
        {
            SampleRate = sampleRate,
            Channels = arrays.Channels,
            SampleFormat = arrays.Encoding == SampleEncoding.Integer ? "int" : "float",
            SourceCodec = "array",
            SourceSampleFormat = arrays.ElementType,
        };
        var source = new SourceLink { FileName = name };
        var floats = new FloatConversion(arrays.Channels);
        return await ImportCoreAsync(technical, source, new JsonObject(), options with { Force = true }, arrays.Format(sampleRate), arrays.Frames, name ?? "samples",
            async (encoder, stored, report, token) =>
            {
                var all = arrays.ToBuffer(stored, floats);
                var step = 65_536 * arrays.Channels;
                for (var i = 0; i < all.Length; i += step)
                {
                    await encoder.WriteAsync(all.Slice(i, Math.Min(step, all.Length - i)), token).ConfigureAwait(false);
                    report(encoder.SamplesWritten);
                }
            }, null, ct, floats).ConfigureAwait(false);
    }

    private async Task<Recording> ImportCoreAsync(TechnicalMetadata technical, SourceLink source, JsonObject fileMetadata, ImportOptions options,
        SourceFormat format, long estimate, string sourceName, Func<IRecordingEncoder, StoredFormat, Action<long>, CancellationToken, Task> feed,
        IProgress<ImportProgress>? progress, CancellationToken ct, FloatConversion floats, Task<string>? sourceHash = null)
    {
        ThrowIfNotWritable();
        // Checked before anything is stored: metadata that cannot be kept, or a source no codec takes, must not cost an import.
        var userMetadata = options.UserMetadata is { } given ? MetadataValues.FromDictionary(given) : new JsonObject();
        if (format.SampleRate < 1) throw new UnsupportedSourceException($"'{sourceName}' has no valid sample rate ({format.SampleRate} Hz).");
        var (codec, stored, reason) = RecordingCodecs.Choose(options.Codec, format, sourceName);
        technical.Codec = codec.Name;
        technical.CodecReason = reason;
        technical.BitsPerSample = stored.BitsPerSample;
        technical.QuantisedFromFloat = format.IsFloat && stored.Encoding == SampleEncoding.Integer;
        var id = await AllocateIdAsync(ct).ConfigureAwait(false);
        var path = ArchiveLayout.RecordingPath(MountPath, id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var claim = sourceHash is null ? Task.FromResult(false) : ClaimWhenHashedAsync(sourceHash, source, id, sourceName, options.Force, stop);
        var lease = new ClaimLeaseRenewal(this, id);
        var changing = false;
        try
        {
            try
            {
                await using var encoder = await codec.CreateEncoderAsync(new EncodeTarget(Store, path, format, stored, options, estimate), stop.Token).ConfigureAwait(false);
                await feed(encoder, stored, done => progress?.Report(new ImportProgress(sourceName, done, estimate)), stop.Token).ConfigureAwait(false);
                await encoder.CompleteAsync(technical, stop.Token).ConfigureAwait(false);
                await claim.ConfigureAwait(false);
            }
            // A duplicate (or an unreadable file) found by the hash stopped the encoding: that is the error to report.
            catch (OperationCanceledException) when (sourceHash is not null && !ct.IsCancellationRequested)
            {
                await claim.ConfigureAwait(false);
                throw;
            }
            if (technical.SampleCount == 0) throw new UnsupportedSourceException($"'{sourceName}' holds no audio samples: there is nothing to store.");
            technical.Id = id;
            technical.DurationSeconds = (double)technical.SampleCount / technical.SampleRate;
            technical.ImportedAt = DateTimeOffset.UtcNow;
            technical.Importer = Importer;
            if (technical.QuantisedFromFloat && floats.Changed)
            {
                technical.NonFiniteSamples = floats.NonFinite;
                technical.FirstNonFiniteFrame = floats.FirstNonFiniteFrame;
                technical.ClippedSamples = floats.Clipped;
                technical.FirstClippedFrame = floats.FirstClippedFrame;
            }
            var metadata = new RecordingMetadata { Technical = technical, Source = source, File = fileMetadata, User = userMetadata };
            ct.ThrowIfCancellationRequested();
            // The lease must still be ours: a claim that ran out may have been repaired away (with its data) by another host.
            await lease.StopAsync(verify: true).ConfigureAwait(false);
            var attributes = metadata.ToAttributes();
            await BeginCatalogChangeAsync(id).ConfigureAwait(false);
            changing = true;
            // The commit: until this zarr.json exists, listing and reading do not see the recording.
            await ZarrGroup.CreateAsync(Store, path, attributes, CancellationToken.None).ConfigureAwait(false);
            changing = false;
            await EndCatalogChangeAsync(id, attributes).ConfigureAwait(false);
            return await GetRecordingAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // Best effort: on a full or read-only disk the cleanup may fail too; the import's own error is what the
            // caller must see, and Repair-ZarrAudio removes what is left (nothing of it is committed).
            try
            {
                await lease.StopAsync(verify: false).ConfigureAwait(false);
                await TaskFailure.OfAsync(claim).ConfigureAwait(false);
                await DiscardAsync(id, "failed").ConfigureAwait(false);
                if (changing) await EndCatalogChangeAsync(id, null).ConfigureAwait(false);
                if (claim.IsCompletedSuccessfully && claim.Result) await ReleaseHashAsync(source.Sha256!, id).ConfigureAwait(false);
            }
            catch (Exception cleanup) when (cleanup is ZarrException or IOException or UnauthorizedAccessException) { }
            throw;
        }
        finally
        {
            await lease.StopAsync(verify: false).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a recording's zarr.json as changing in the catalog (kept for every archive with one, whoever lists through it).</summary>
    private async Task BeginCatalogChangeAsync(long id)
    {
        if (HasCatalog) await _catalog.BeginChangeAsync(id, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a recording's new attributes (null: removed) into the catalog. The change itself is stored already: if the
    /// catalog cannot be updated now, its pending marker stays, readers take that recording from its zarr.json, and a
    /// repair folds it in later; the change is not undone or reported as failed.
    /// </summary>
    private async Task EndCatalogChangeAsync(long id, JsonObject? attributes)
    {
        if (!HasCatalog) return;
        try { await _catalog.EndChangeAsync(id, attributes, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is ZarrException or ArchiveBusyException or IOException) { }
    }

    /// <summary>
    /// Waits for the source's hash, records it, and claims it (unless forced); a duplicate or a failed hash cancels
    /// <paramref name="stop"/>, so the encoding beside it ends at once. True when this import holds the claim.
    /// </summary>
    private async Task<bool> ClaimWhenHashedAsync(Task<string> hash, SourceLink source, long id, string sourceName, bool force, CancellationTokenSource stop)
    {
        try
        {
            source.Sha256 = await hash.ConfigureAwait(false);
            return !force && await ClaimHashAsync(source.Sha256, id, sourceName, stop.Token).ConfigureAwait(false);
        }
        catch
        {
            stop.Cancel();
            throw;
        }
    }

    /// <summary>The next id: one above every id seen, taken with an exclusive create so no two importers share it.</summary>
    private async Task<long> AllocateIdAsync(CancellationToken ct)
    {
        var ids = await ListNumberedAsync(ct).ConfigureAwait(false);
        var next = ids.Count == 0 ? 1 : ids[^1] + 1;
        var claim = ClaimRecord(ProcessStamp.OfThisProcess(ClaimLease));
        while (!await Store.SetIfAbsentAsync(ArchiveLayout.ClaimKey(MountPath, next), claim, ct).ConfigureAwait(false)) next++;
        return next;
    }

    /// <summary>An importing claim: who, since when, and until when its lease holds.</summary>
    internal static byte[] ClaimRecord(ProcessStamp stamp)
    {
        var json = stamp.ToJson(ClaimTimeField);
        json["state"] = "importing";
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    internal string ClaimKeyOf(long id) => ArchiveLayout.ClaimKey(MountPath, id);

    private async Task<bool> ClaimHashAsync(string sha256, long id, string sourceName, CancellationToken ct)
    {
        var key = ArchiveLayout.HashClaimKey(MountPath, sha256);
        var mine = Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await Store.SetIfAbsentAsync(key, mine, ct).ConfigureAwait(false)) return true;
            var holderText = await Store.GetAsync(key, ct).ConfigureAwait(false);
            if (holderText is null || !long.TryParse(Encoding.UTF8.GetString(holderText), out var holder)) continue;
            if (await IsCommittedAsync(holder, ct).ConfigureAwait(false) || !await IsClaimStaleAsync(holder, StaleClaimAge, ct).ConfigureAwait(false))
                throw new DuplicateRecordingException(sourceName, sha256, holder);
            await Store.DeleteAsync(key, ct).ConfigureAwait(false);
        }
        throw new DuplicateRecordingException(sourceName, sha256, -1);
    }

    /// <summary>How long an uncommitted import may go on before its claims count as abandoned.</summary>
    private static readonly TimeSpan StaleClaimAge = TimeSpan.FromDays(1);

    private async Task ReleaseHashAsync(string sha256, long id)
    {
        var key = ArchiveLayout.HashClaimKey(MountPath, sha256);
        var holder = await Store.GetAsync(key).ConfigureAwait(false);
        if (holder is not null && Encoding.UTF8.GetString(holder) == id.ToString(CultureInfo.InvariantCulture))
            await Store.DeleteAsync(key).ConfigureAwait(false);
    }

    /// <summary>The time field of an id claim (older than the locks' "since").</summary>
    private const string ClaimTimeField = "started";

    /// <summary>An id's claim as stored, or null when it is missing or damaged.</summary>
    internal async Task<JsonObject?> ReadClaimAsync(long id, CancellationToken ct) =>
        await Store.GetAsync(ArchiveLayout.ClaimKey(MountPath, id), ct).ConfigureAwait(false) is { } bytes ? ProcessStamp.ParseRecord(bytes) : null;

    /// <summary>True when a claim's importer is gone: failed, removed, missing, damaged, dead on this host, or older than <paramref name="maxAge"/>.</summary>
    private static bool IsClaimStale(JsonObject? claim, TimeSpan maxAge) =>
        claim?["state"]?.GetValue<string>() is not "importing" || ProcessStamp.FromJson(claim, ClaimTimeField).IsGone(maxAge);

    private async Task<bool> IsClaimStaleAsync(long id, TimeSpan maxAge, CancellationToken ct) =>
        IsClaimStale(await ReadClaimAsync(id, ct).ConfigureAwait(false), maxAge);

    /// <summary>An id's stored keys other than its claim (what a discard deletes).</summary>
    private async Task<List<string>> DataKeysAsync(long id, CancellationToken ct = default)
    {
        var claimKey = ArchiveLayout.ClaimKey(MountPath, id);
        var lockKey = ArchiveLayout.LockKey(MountPath, id);
        var keys = new List<string>();
        await foreach (var key in Store.ListPrefixAsync(ArchiveLayout.RecordingPath(MountPath, id) + "/", ct).ConfigureAwait(false))
            if (key != claimKey && key != lockKey) keys.Add(key);
        return keys;
    }

    /// <summary>Deletes an id's data (zarr.json first, so it is never half visible) and marks its claim.</summary>
    private async Task DiscardAsync(long id, string state, List<string>? keys = null)
    {
        await Store.DeleteAsync(NodeName.MetadataKey(ArchiveLayout.RecordingPath(MountPath, id))).ConfigureAwait(false);
        foreach (var key in keys ?? await DataKeysAsync(id).ConfigureAwait(false)) await Store.DeleteAsync(key).ConfigureAwait(false);
        await MarkClaimAsync(id, state).ConfigureAwait(false);
        if (_recordings.TryRemove(id, out var recording)) recording.Dispose();
        // The claim keeps the id from being taken again only while no higher id exists (new ids are one above the
        // highest); below a higher id it is not needed, and the id's folder goes with it.
        if (await HigherIdExistsAsync(id).ConfigureAwait(false)) await Store.DeleteAsync(ArchiveLayout.ClaimKey(MountPath, id)).ConfigureAwait(false);
    }

    private async Task<bool> HigherIdExistsAsync(long id, CancellationToken ct = default) =>
        (await ListNumberedAsync(ct).ConfigureAwait(false)).Any(other => other > id);

    /// <summary>Removes a recording and its source-hash claim. Its id is never reused.</summary>
    public async Task RemoveAsync(long id, CancellationToken ct = default)
    {
        ThrowIfNotWritable();
        await using var held = await RecordingLock.AcquireAsync(Store, ArchiveLayout.LockKey(MountPath, id), id, ct).ConfigureAwait(false);
        // Under the lock, the metadata as it is now (a metadata change may have finished just before).
        var recording = await GetRecordingAsync(id, ct, refresh: true).ConfigureAwait(false);
        // Said first, so a removal killed half-way is known for what it is: its hash claim no longer blocks a
        // re-import of the source, and repair clears what is left.
        await MarkClaimAsync(id, "removing").ConfigureAwait(false);
        await BeginCatalogChangeAsync(id).ConfigureAwait(false);
        await DiscardAsync(id, "removed").ConfigureAwait(false);
        await EndCatalogChangeAsync(id, null).ConfigureAwait(false);
        if (recording.Metadata.Source.Sha256 is { } sha) await ReleaseHashAsync(sha, id).ConfigureAwait(false);
    }

    private ValueTask MarkClaimAsync(long id, string state) => Store.SetAsync(ArchiveLayout.ClaimKey(MountPath, id),
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["state"] = state,
            ["at"] = DateTimeOffset.UtcNow.ToString("o"),
            ["note"] = $"Id {id} was used by a recording that is {state} (nothing of it is stored). Ids are never reused, so this claim stays while {id} is the archive's highest id; Repair-ZarrAudio removes it once a higher id exists.",
        }.ToJsonString()));

    /// <summary>Changes user metadata: merge (null values delete keys), or replace; then remove the named keys.</summary>
    public async Task<Recording> SetUserMetadataAsync(long id, System.Collections.IDictionary? changes, UserMetadataChange change, IEnumerable<string>? remove = null, CancellationToken ct = default)
    {
        ThrowIfNotWritable();
        var path = ArchiveLayout.RecordingPath(MountPath, id);
        // A read-modify-write under the recording's lock: concurrent changes (other threads, processes, hosts)
        // each see the one before, and a change never writes back a zarr.json that a removal has deleted.
        await using var held = await RecordingLock.AcquireAsync(Store, ArchiveLayout.LockKey(MountPath, id), id, ct).ConfigureAwait(false);
        ZarrGroup group;
        try { group = await ZarrGroup.OpenAsync(Store, path, ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException) { throw new RecordingNotFoundException(id, Location); }
        var attributes = (JsonObject)group.Attributes.DeepClone();
        var user = change == UserMetadataChange.Replace ? new JsonObject() : attributes["user"] as JsonObject ?? new JsonObject();
        var values = changes is null ? new JsonObject() : MetadataValues.FromDictionary(changes);
        foreach (var (key, value) in values)
            if (value is null && change == UserMetadataChange.Merge) user.Remove(key);
            else user[key] = value?.DeepClone();
        foreach (var key in remove ?? []) user.Remove(key);
        attributes["user"] = user.DeepClone();
        await BeginCatalogChangeAsync(id).ConfigureAwait(false);
        await group.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
        await EndCatalogChangeAsync(id, attributes).ConfigureAwait(false);
        return Remember(id, attributes);
    }

    /// <summary>How old a store's temporary file must be before a repair removes it (a write takes far less).</summary>
    private static readonly TimeSpan StoreLeftoverAge = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Finds what killed or failed operations left behind: data of ids never committed (or half removed) whose
    /// importer is gone, hash claims and metadata locks of gone holders, the store's unfinished temporary files.
    /// Nothing a live process is using is listed: an import is live while its lease holds (its importer renews it,
    /// whatever host it runs on) and its process runs on this host; a claim written before leases existed is live for
    /// <paramref name="maxAge"/> (default one day). Catalog changes whose writer is gone are folded into their pages, and a
    /// damaged catalog (or none) is rebuilt.
    /// </summary>
    public async Task<IReadOnlyList<RepairItem>> FindRepairsAsync(TimeSpan? maxAge = null, CancellationToken ct = default)
    {
        ThrowIfDismounted();
        var items = new List<RepairItem>();
        var age = maxAge ?? StaleClaimAge;
        var ids = await ListNumberedAsync(ct).ConfigureAwait(false);
        foreach (var id in ids)
        {
            var lockKey = ArchiveLayout.LockKey(MountPath, id);
            if (await Store.GetAsync(lockKey, ct).ConfigureAwait(false) is { } holder && RecordingLock.IsStale(holder))
                items.Add(new RepairItem(RepairKind.StaleLock, id, lockKey, $"the metadata lock of recording {id}, left by a process that is gone"));
            if (await IsCommittedAsync(id, ct).ConfigureAwait(false)) continue;
            var claim = await ReadClaimAsync(id, ct).ConfigureAwait(false);
            if (!IsClaimStale(claim, age)) continue;
            var state = ClaimState(claim);
            var leftovers = await DataKeysAsync(id, ct).ConfigureAwait(false);
            if (leftovers.Count > 0)
                items.Add(new RepairItem(RepairKind.UncommittedData, id, ArchiveLayout.RecordingPath(MountPath, id),
                    $"{leftovers.Count} stored objects of id {id}, never committed or half removed (claim: {state})"));
            else if (claim is not null && id < ids[^1])
                items.Add(new RepairItem(RepairKind.UnusedIdClaim, id, ArchiveLayout.ClaimKey(MountPath, id),
                    $"the claim of id {id} (claim: {state}), no longer needed: a higher id exists"));
        }
        await foreach (var key in Store.ListPrefixAsync(ArchiveLayout.Join(MountPath, "sha256/"), ct).ConfigureAwait(false))
        {
            var holder = await Store.GetAsync(key, ct).ConfigureAwait(false);
            if (holder is null || !long.TryParse(Encoding.UTF8.GetString(holder), out var hid)) continue;
            if (await IsCommittedAsync(hid, ct).ConfigureAwait(false)) continue;
            if (await IsClaimStaleAsync(hid, age, ct).ConfigureAwait(false))
                items.Add(new RepairItem(RepairKind.StaleHashClaim, hid, key, $"the source-hash claim of id {hid}, which was never committed"));
        }
        foreach (var (path, what) in Store.ListLeftovers(StoreLeftoverAge))
            items.Add(new RepairItem(RepairKind.StoreLeftover, null, path, what));
        if (!HasCatalog)
            items.Add(new RepairItem(RepairKind.CatalogRebuild, null, ArchiveLayout.Join(MountPath, "catalog"), "the archive has no catalog yet (layout 1): it is built from the recordings"));
        else
        {
            foreach (var id in await _catalog.ListAbandonedAsync(ct).ConfigureAwait(false))
                items.Add(new RepairItem(RepairKind.PendingCatalogChange, id, ArchiveLayout.Join(MountPath, $"catalog/pending/{id}"),
                    $"a change of recording {id} that a process which is gone never put into the catalog"));
            var damaged = await _catalog.ListDamagedPagesAsync(ct).ConfigureAwait(false);
            if (damaged.Count > 0)
                items.Add(new RepairItem(RepairKind.CatalogRebuild, null, ArchiveLayout.Join(MountPath, "catalog"),
                    $"catalog page(s) {string.Join(", ", damaged)} cannot be read: the catalog is rebuilt from the recordings"));
        }
        return items;
    }

    /// <summary>Removes one thing <see cref="FindRepairsAsync"/> found (checked again first: it may have changed since).</summary>
    public async Task ApplyRepairAsync(RepairItem item, TimeSpan? maxAge = null, CancellationToken ct = default)
    {
        ThrowIfNotWritable();
        var age = maxAge ?? StaleClaimAge;
        switch (item.Kind)
        {
            case RepairKind.UncommittedData when item.Id is { } id:
                if (await IsCommittedAsync(id, ct).ConfigureAwait(false) || !await IsClaimStaleAsync(id, age, ct).ConfigureAwait(false)) return;
                await DiscardAsync(id, "repaired", await DataKeysAsync(id, ct).ConfigureAwait(false)).ConfigureAwait(false);
                break;
            case RepairKind.StaleHashClaim when item.Id is { } hid:
                if (await IsCommittedAsync(hid, ct).ConfigureAwait(false) || !await IsClaimStaleAsync(hid, age, ct).ConfigureAwait(false)) return;
                await Store.DeleteAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.UnusedIdClaim when item.Id is { } unused:
                if (await IsCommittedAsync(unused, ct).ConfigureAwait(false) || !await IsClaimStaleAsync(unused, age, ct).ConfigureAwait(false)
                    || (await DataKeysAsync(unused, ct).ConfigureAwait(false)).Count > 0 || !await HigherIdExistsAsync(unused, ct).ConfigureAwait(false)) return;
                await Store.DeleteAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.StaleLock:
                if (await Store.GetAsync(item.Target, ct).ConfigureAwait(false) is { } holder && RecordingLock.IsStale(holder))
                    await Store.DeleteAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.StoreLeftover:
                Store.RemoveLeftover(item.Target);
                break;
            case RepairKind.PendingCatalogChange when item.Id is { } changed:
                if (await Store.GetAsync(item.Target, ct).ConfigureAwait(false) is { } writer && RecordingLock.IsStale(writer))
                    await _catalog.RefreshAsync(changed, ct).ConfigureAwait(false);
                break;
            case RepairKind.CatalogRebuild:
                await RebuildCatalogAsync(ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Finds and removes everything <see cref="FindRepairsAsync"/> lists; returns the ids whose data it removed.</summary>
    public async Task<IReadOnlyList<long>> RepairAsync(TimeSpan? maxAge = null, CancellationToken ct = default)
    {
        var items = await FindRepairsAsync(maxAge, ct).ConfigureAwait(false);
        foreach (var item in items) await ApplyRepairAsync(item, maxAge, ct).ConfigureAwait(false);
        return items.Where(i => i.Kind == RepairKind.UncommittedData).Select(i => i.Id!.Value).ToList();
    }

    private static string ClaimState(JsonObject? claim) => claim is null ? "missing or unreadable" : claim["state"]?.GetValue<string>() ?? "unknown";

    private static bool TryParseId(string name, out long id) =>
        long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && name == id.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> HashFileAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false)).ToLowerInvariant();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var r in _recordings.Values) r.Dispose();
        _recordings.Clear();
        if (_ownsStore) Store.Dispose();
    }
}
