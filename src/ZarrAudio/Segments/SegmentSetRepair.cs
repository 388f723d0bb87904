using ZarrAudio.Archive;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Segments;

/// <summary>
/// What killed writers of segment sets leave: a lock whose holder is gone, and rows of a version that never became
/// the set's (or of a set whose creation never finished). Found without the lock; removed under it, checked again.
/// </summary>
internal sealed partial class SegmentSets
{
    public async Task<List<RepairItem>> FindLeftoversAsync(CancellationToken ct)
    {
        var items = new List<RepairItem>();
        if (!place.Store.CanList()) return items;
        var prefix = Root + "/";
        var versions = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        await foreach (var key in place.Store.Listable(prefix).ListPrefixAsync(prefix, ct).ConfigureAwait(false))
        {
            var parts = key[prefix.Length..].Split('/');
            if (parts.Length < 2) continue;
            var set = versions.TryGetValue(parts[0], out var s) ? s : versions[parts[0]] = new SortedSet<string>(StringComparer.Ordinal);
            if (parts.Length > 2) set.Add(parts[1]);
        }
        foreach (var (name, found) in versions)
        {
            var held = await place.Store.GetAsync(LockKey(name), ct).ConfigureAwait(false);
            if (held is not null && !RecordingLock.IsStale(held)) continue; // a writer is at work
            if (held is not null)
                items.Add(new RepairItem(RepairKind.StaleLock, null, LockKey(name), $"the lock of segment set '{name}', left by a process that is gone"));
            var state = await ReadStateAsync(name, ct).ConfigureAwait(false);
            foreach (var version in found.Where(v => state is null || (v != Current(state) && v != Previous(state))))
                items.Add(new RepairItem(RepairKind.SegmentSetLeftover, null, SetPath(name) + "/" + version,
                    state is null ? $"rows of segment set '{name}', whose creation never finished" : $"rows of segment set '{name}' that a killed or failed change never made the set's"));
        }
        return items;
    }

    /// <summary>Removes a version <see cref="FindLeftoversAsync"/> found, under the set's lock, if it is still not the set's.</summary>
    public async Task RemoveLeftoverAsync(string versionPath, CancellationToken ct)
    {
        var name = versionPath[(Root.Length + 1)..versionPath.LastIndexOf('/')];
        var version = versionPath[(versionPath.LastIndexOf('/') + 1)..];
        await using var held = await LockAsync(name, ct).ConfigureAwait(false);
        var state = await ReadStateAsync(name, ct).ConfigureAwait(false);
        if (state is not null && (version == Current(state) || version == Previous(state))) return;
        await DeletePrefixAsync(versionPath + "/", ct).ConfigureAwait(false);
    }
}
