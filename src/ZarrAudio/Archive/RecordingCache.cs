using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr;

namespace ZarrAudio.Archive;

/// <summary>
/// The recording objects an archive has handed out, one per id, each keeping its open stream readers. A recording is
/// replaced when its metadata changed (here or in another process) and dropped when it is gone.
/// </summary>
internal sealed class RecordingCache(ArchiveStore place)
{
    private readonly ConcurrentDictionary<long, Recording> _recordings = new();

    /// <summary>
    /// The recording, or null when the id was never committed (or is gone). Without <paramref name="refresh"/> one seen
    /// before is returned as it was; with it, its metadata is read again.
    /// </summary>
    public async Task<Recording?> TryGetAsync(long id, bool refresh, CancellationToken ct)
    {
        place.ThrowIfDismounted();
        if (!refresh && _recordings.TryGetValue(id, out var cached)) return cached;
        ZarrGroup group;
        try { group = await ZarrGroup.OpenAsync(place.Store, place.RecordingPath(id), ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException)
        {
            Forget(id);
            return null;
        }
        catch (ZarrMetadataException e)
        {
            throw new CorruptRecordingException($"Recording {id}'s metadata ({NodeName.MetadataKey(place.RecordingPath(id))}) is damaged: {e.Message}", e) { RecordingId = id };
        }
        return Remember(id, group.Attributes);
    }

    /// <summary>
    /// The recording object for these attributes: the cached one while they are unchanged (it keeps its open stream
    /// readers), else a new one that replaces it (another process, or this one, changed its metadata).
    /// </summary>
    public Recording Remember(long id, JsonObject attributes)
    {
        while (true)
        {
            if (!_recordings.TryGetValue(id, out var existing))
                return _recordings.GetOrAdd(id, new Recording(place, id, attributes));
            if (JsonNode.DeepEquals(existing.Attributes, attributes)) return existing;
            var fresh = new Recording(place, id, attributes);
            if (_recordings.TryUpdate(id, fresh, existing))
            {
                existing.Dispose();
                return fresh;
            }
        }
    }

    /// <summary>Drops a recording that is gone (removed, discarded), freeing its readers.</summary>
    public void Forget(long id)
    {
        if (_recordings.TryRemove(id, out var gone)) gone.Dispose();
    }

    public void Clear()
    {
        foreach (var r in _recordings.Values) r.Dispose();
        _recordings.Clear();
    }
}
