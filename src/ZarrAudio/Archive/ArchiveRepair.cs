using System.Text;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// Finds and removes what killed or failed work left behind (uncommitted data, stale claims and locks, unfinished
/// store writes, catalog changes never folded in, segment set versions never made current), and rebuilds the catalog from the recordings. Nothing a live
/// process is using is touched: each item is checked again just before it is removed.
/// </summary>
internal sealed class ArchiveRepair(ArchiveStore place, RecordingClaims claims, RecordingCatalog catalog, Segments.SegmentSets sets)
{
    /// <summary>How old a store's temporary file must be before a repair removes it (a write takes far less).</summary>
    private static readonly TimeSpan StoreLeftoverAge = TimeSpan.FromMinutes(10);

    /// <summary>See <see cref="AudioArchive.FindRepairsAsync"/>.</summary>
    public async Task<RepairPlan> FindAsync(TimeSpan? maxAge, CancellationToken ct)
    {
        place.ThrowIfDismounted();
        var store = place.Store;
        var items = new List<RepairItem>();
        var age = maxAge ?? RecordingClaims.StaleClaimAge;
        var ids = await place.ListNumberedAsync(ct).ConfigureAwait(false);
        foreach (var id in ids)
        {
            var lockKey = ArchiveLayout.LockKey(place.MountPath, id);
            if (await store.GetAsync(lockKey, ct).ConfigureAwait(false) is { } holder && RecordingLock.IsStale(holder))
                items.Add(new RepairItem(RepairKind.StaleLock, id, lockKey, $"the metadata lock of recording {id}, left by a process that is gone"));
            if (await place.IsCommittedAsync(id, ct).ConfigureAwait(false)) continue;
            var claim = await claims.ReadClaimAsync(id, ct).ConfigureAwait(false);
            if (!RecordingClaims.IsStale(claim, age)) continue;
            var state = RecordingClaims.StateOf(claim);
            var leftovers = await claims.DataKeysAsync(id, ct).ConfigureAwait(false);
            if (leftovers.Count > 0)
                items.Add(new RepairItem(RepairKind.UncommittedData, id, place.RecordingPath(id),
                    $"{leftovers.Count} stored objects of id {id}, never committed or half removed (claim: {state})"));
            else if (claim is not null && id < ids[^1])
                items.Add(new RepairItem(RepairKind.UnusedIdClaim, id, claims.ClaimKey(id),
                    $"the claim of id {id} (claim: {state}), no longer needed: a higher id exists"));
        }
        await foreach (var key in store.Listable().ListPrefixAsync(place.Key("sha256/"), ct).ConfigureAwait(false))
        {
            var holder = await store.GetAsync(key, ct).ConfigureAwait(false);
            if (holder is null || !long.TryParse(Encoding.UTF8.GetString(holder), out var hid)) continue;
            if (await place.IsCommittedAsync(hid, ct).ConfigureAwait(false)) continue;
            if (await claims.IsStaleAsync(hid, age, ct).ConfigureAwait(false))
                items.Add(new RepairItem(RepairKind.StaleHashClaim, hid, key, $"the source-hash claim of id {hid}, which was never committed"));
        }
        items.AddRange(await sets.FindLeftoversAsync(ct).ConfigureAwait(false));
        var kept = new List<string>();
        foreach (var leftover in (store as IStoreWithLeftovers)?.ListLeftovers(StoreLeftoverAge) ?? [])
            if (leftover.InUse) kept.Add($"{leftover.Path}: {leftover.What}");
            else items.Add(new RepairItem(RepairKind.StoreLeftover, null, leftover.Path, leftover.What));
        if (!place.HasCatalog)
            items.Add(new RepairItem(RepairKind.CatalogRebuild, null, place.Key("catalog"), "the archive has no catalog yet (layout 1): it is built from the recordings"));
        else
        {
            foreach (var id in await catalog.ListAbandonedAsync(ct).ConfigureAwait(false))
                items.Add(new RepairItem(RepairKind.PendingCatalogChange, id, place.Key($"catalog/pending/{id}"),
                    $"a change of recording {id} that a process which is gone never put into the catalog"));
            var damaged = await catalog.ListDamagedPagesAsync(ct).ConfigureAwait(false);
            if (damaged.Count > 0)
                items.Add(new RepairItem(RepairKind.CatalogRebuild, null, place.Key("catalog"),
                    $"catalog page(s) {string.Join(", ", damaged)} cannot be read: the catalog is rebuilt from the recordings"));
        }
        return new RepairPlan(items, kept);
    }

    /// <summary>Removes one thing <see cref="FindAsync"/> found (checked again first: it may have changed since).</summary>
    public async Task ApplyAsync(RepairItem item, TimeSpan? maxAge, CancellationToken ct)
    {
        var store = place.Writable;
        var age = maxAge ?? RecordingClaims.StaleClaimAge;
        // Still abandoned: not committed meanwhile, and its importer still gone.
        async Task<bool> StillAbandonedAsync(long id) =>
            !await place.IsCommittedAsync(id, ct).ConfigureAwait(false) && await claims.IsStaleAsync(id, age, ct).ConfigureAwait(false);
        switch (item.Kind)
        {
            case RepairKind.UncommittedData when item.Id is { } id:
                if (!await StillAbandonedAsync(id).ConfigureAwait(false)) return;
                await claims.DiscardAsync(id, "repaired", await claims.DataKeysAsync(id, ct).ConfigureAwait(false)).ConfigureAwait(false);
                break;
            case RepairKind.StaleHashClaim when item.Id is { } hid:
                if (!await StillAbandonedAsync(hid).ConfigureAwait(false)) return;
                await store.DeleteAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.UnusedIdClaim when item.Id is { } unused:
                if (!await StillAbandonedAsync(unused).ConfigureAwait(false)
                    || (await claims.DataKeysAsync(unused, ct).ConfigureAwait(false)).Count > 0 || !await claims.HigherIdExistsAsync(unused, ct).ConfigureAwait(false)) return;
                await store.DeleteAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.StaleLock:
                if (await store.GetAsync(item.Target, ct).ConfigureAwait(false) is { } holder && RecordingLock.IsStale(holder))
                    await store.DeleteAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.StoreLeftover:
                ((IStoreWithLeftovers)store).RemoveLeftover(item.Target);
                break;
            case RepairKind.PendingCatalogChange when item.Id is { } changed:
                if (await store.GetAsync(item.Target, ct).ConfigureAwait(false) is { } writer && RecordingLock.IsStale(writer))
                    await catalog.RefreshAsync(changed, ct).ConfigureAwait(false);
                break;
            case RepairKind.SegmentSetLeftover:
                await sets.RemoveLeftoverAsync(item.Target, ct).ConfigureAwait(false);
                break;
            case RepairKind.CatalogRebuild:
                await RebuildCatalogAsync(ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Writes the catalog afresh from the recordings and marks the archive as keeping one (layout 2).</summary>
    public async Task RebuildCatalogAsync(CancellationToken ct)
    {
        place.ThrowIfNotWritable();
        var ids = await place.ListNumberedAsync(ct).ConfigureAwait(false);
        var recordings = new Dictionary<long, JsonObject>();
        var groups = await ArchiveStore.ForEachIdAsync(ids, async (id, c) =>
        {
            try { return (await ZarrGroup.OpenAsync(place.Store, place.RecordingPath(id), c).ConfigureAwait(false)).Attributes; }
            catch (ZarrNodeNotFoundException) { return null; }
            catch (ZarrMetadataException) { return null; }
        }, ct).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
            if (groups[i] is { } attributes) recordings[ids[i]] = attributes;
        await catalog.RebuildAsync(recordings, ids.Count == 0 ? 0 : ids[^1], ct).ConfigureAwait(false);
        if (!place.HasCatalog)
        {
            var node = await ZarrGroup.OpenAsync(place.Store, place.MountPath, ct).ConfigureAwait(false);
            var attributes = (JsonObject)node.Attributes.DeepClone();
            attributes[ArchiveLayout.MarkerKey] = ArchiveLayout.ArchiveMarker()[ArchiveLayout.MarkerKey]!.DeepClone();
            await node.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
            place.Layout = ArchiveLayout.Version;
        }
    }
}
