using System.Text.Json.Nodes;
using ZarrAudio.Metadata;
using ZarrAudio.Zarr;

namespace ZarrAudio.Archive;

/// <summary>
/// Changes of committed recordings: user metadata and removal, each under the recording's lock
/// (<see cref="RecordingLock"/>), so concurrent changes in any process or host see each other and never resurrect a
/// removed recording.
/// </summary>
internal sealed class RecordingChanges(ArchiveStore place, RecordingClaims claims, CatalogUpdates catalog, RecordingCache recordings)
{
    /// <summary>Removes a recording and its source-hash claim. Its id is never reused.</summary>
    public async Task RemoveAsync(long id, CancellationToken ct)
    {
        place.ThrowIfNotWritable();
        await using var held = await RecordingLock.AcquireAsync(place.Writable, ArchiveLayout.LockKey(place.MountPath, id), id, ct).ConfigureAwait(false);
        // Under the lock, the metadata as it is now (a metadata change may have finished just before).
        var recording = await recordings.TryGetAsync(id, refresh: true, ct).ConfigureAwait(false) ?? throw new RecordingNotFoundException(id, place.Location);
        // Said first, so a removal killed half-way is known for what it is: its hash claim no longer blocks a
        // re-import of the source, and repair clears what is left.
        await claims.MarkAsync(id, "removing").ConfigureAwait(false);
        await catalog.BeginAsync(id).ConfigureAwait(false);
        await claims.DiscardAsync(id, "removed").ConfigureAwait(false);
        await catalog.EndAsync(id, null).ConfigureAwait(false);
        if (recording.Metadata.Source.Sha256 is { } sha) await claims.ReleaseHashAsync(sha, id).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes a user metadata key: a key of that name, else a dotted path into nested values ("observer.name"). A
    /// dotted path that names nothing is refused, since it was meant for something; a missing plain key is no change.
    /// </summary>
    private static void RemoveKey(JsonObject user, string key, long id)
    {
        if (user.Remove(key) || !key.Contains('.')) return;
        var parts = key.Split('.');
        JsonNode? node = user;
        foreach (var part in parts[..^1]) node = (node as JsonObject)?[part];
        if (node is not JsonObject parent || !parent.Remove(parts[^1]))
            throw new InvalidMetadataException($"Recording {id} has no user metadata '{key}' to remove: neither a key of that name nor a nested value at that path.", key);
    }

    /// <summary>
    /// Names the time zone the recording's clock ran in (<see cref="RecordingTime.SetZone"/>): a start without a stated
    /// offset is placed in it. Under the recording's lock, like a metadata change.
    /// </summary>
    public async Task<Recording> SetTimeZoneAsync(long id, string zone, CancellationToken ct)
    {
        place.ThrowIfNotWritable();
        RecordingTime.Zone(zone);
        await using var held = await RecordingLock.AcquireAsync(place.Writable, ArchiveLayout.LockKey(place.MountPath, id), id, ct).ConfigureAwait(false);
        ZarrGroup group;
        try { group = await ZarrGroup.OpenAsync(place.Store, place.RecordingPath(id), ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException) { throw new RecordingNotFoundException(id, place.Location); }
        var attributes = (JsonObject)group.Attributes.DeepClone();
        var technical = MetadataJson.FromObject<TechnicalMetadata>(attributes["technical"]);
        RecordingTime.SetZone(technical, zone);
        attributes["technical"] = MetadataJson.ToObject(technical);
        await catalog.BeginAsync(id).ConfigureAwait(false);
        await group.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
        await catalog.EndAsync(id, attributes).ConfigureAwait(false);
        return recordings.Remember(id, attributes);
    }

    /// <summary>Changes user metadata: merge (null values delete keys), or replace; then remove the named keys.</summary>
    public async Task<Recording> SetUserMetadataAsync(long id, System.Collections.IDictionary? changes, UserMetadataChange change, IEnumerable<string>? remove, CancellationToken ct)
    {
        place.ThrowIfNotWritable();
        var path = place.RecordingPath(id);
        // A read-modify-write under the recording's lock: concurrent changes (other threads, processes, hosts)
        // each see the one before, and a change never writes back a zarr.json that a removal has deleted.
        await using var held = await RecordingLock.AcquireAsync(place.Writable, ArchiveLayout.LockKey(place.MountPath, id), id, ct).ConfigureAwait(false);
        ZarrGroup group;
        try { group = await ZarrGroup.OpenAsync(place.Store, path, ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException) { throw new RecordingNotFoundException(id, place.Location); }
        var attributes = (JsonObject)group.Attributes.DeepClone();
        var user = change == UserMetadataChange.Replace ? new JsonObject() : attributes["user"] as JsonObject ?? new JsonObject();
        var values = changes is null ? new JsonObject() : MetadataValues.FromDictionary(changes);
        foreach (var (key, value) in values)
            if (value is null && change == UserMetadataChange.Merge) user.Remove(key);
            else user[key] = value?.DeepClone();
        foreach (var key in remove ?? []) RemoveKey(user, key, id);
        attributes["user"] = user.DeepClone();
        await catalog.BeginAsync(id).ConfigureAwait(false);
        await group.SetAttributesAsync(attributes, ct).ConfigureAwait(false);
        await catalog.EndAsync(id, attributes).ConfigureAwait(false);
        return recordings.Remember(id, attributes);
    }
}
