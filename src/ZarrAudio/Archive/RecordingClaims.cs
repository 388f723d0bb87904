using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Archive;

/// <summary>
/// Who holds which id and which source: ids are taken with the store's exclusive create (one above the highest seen),
/// an import's claim carries a lease its importer renews (<see cref="ClaimLeaseRenewal"/>), a source's SHA-256 is
/// claimed so a duplicate is refused, and an id whose import failed or was removed keeps a marked claim so the id is
/// never handed out again.
/// </summary>
internal sealed class RecordingClaims(ArchiveStore place, RecordingCache recordings)
{
    /// <summary>How long an uncommitted import without a lease may go on before its claims count as abandoned.</summary>
    public static readonly TimeSpan StaleClaimAge = TimeSpan.FromDays(1);

    /// <summary>The time field of an id claim (older than the locks' "since").</summary>
    private const string ClaimTimeField = "started";

    private IStore Store => place.Writable;

    /// <summary>How long an import's claim stays valid without renewal (see <see cref="AudioArchive.ClaimLease"/>).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public string ClaimKey(long id) => ArchiveLayout.ClaimKey(place.MountPath, id);

    /// <summary>The next id: one above every id seen, taken with an exclusive create so no two importers share it.</summary>
    public async Task<long> AllocateIdAsync(CancellationToken ct)
    {
        var ids = await place.ListNumberedAsync(ct).ConfigureAwait(false);
        var next = ids.Count == 0 ? 1 : ids[^1] + 1;
        var claim = ClaimRecord(ProcessStamp.OfThisProcess(Lease));
        while (!await Store.SetIfAbsentAsync(ClaimKey(next), claim, ct).ConfigureAwait(false)) next++;
        return next;
    }

    /// <summary>Rewrites an importing claim with a fresh lease (the importer is still at work).</summary>
    public ValueTask RenewAsync(long id) => Store.SetAsync(ClaimKey(id), ClaimRecord(ProcessStamp.OfThisProcess(Lease)));

    /// <summary>An importing claim: who, since when, and until when its lease holds.</summary>
    public static byte[] ClaimRecord(ProcessStamp stamp)
    {
        var json = stamp.ToJson(ClaimTimeField);
        json["state"] = "importing";
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>An id's claim as stored, or null when it is missing or damaged.</summary>
    public async Task<JsonObject?> ReadClaimAsync(long id, CancellationToken ct) =>
        await Store.GetAsync(ClaimKey(id), ct).ConfigureAwait(false) is { } bytes ? ProcessStamp.ParseRecord(bytes) : null;

    /// <summary>The importer's stamp of a claim (pid, host, lease), or null.</summary>
    public static ProcessStamp? StampOf(JsonObject? claim) => claim is null ? null : ProcessStamp.FromJson(claim, ClaimTimeField);

    /// <summary>True when a claim's importer is gone: failed, removed, missing, damaged, dead on this host, or older than <paramref name="maxAge"/>.</summary>
    public static bool IsStale(JsonObject? claim, TimeSpan maxAge) =>
        claim?["state"]?.GetValue<string>() is not "importing" || ProcessStamp.FromJson(claim, ClaimTimeField).IsGone(maxAge);

    public async Task<bool> IsStaleAsync(long id, TimeSpan maxAge, CancellationToken ct) =>
        IsStale(await ReadClaimAsync(id, ct).ConfigureAwait(false), maxAge);

    public static string StateOf(JsonObject? claim) => claim is null ? "missing or unreadable" : claim["state"]?.GetValue<string>() ?? "unknown";

    /// <summary>Marks an id's claim as no longer importing (failed, removing, removed, repaired): its id is not reused.</summary>
    public ValueTask MarkAsync(long id, string state) => Store.SetAsync(ClaimKey(id),
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["state"] = state,
            ["at"] = DateTimeOffset.UtcNow.ToString("o"),
            ["note"] = $"Id {id} was used by a recording that is {state} (nothing of it is stored). Ids are never reused, so this claim stays while {id} is the archive's highest id; Repair-ZarrAudio removes it once a higher id exists.",
        }.ToJsonString()));

    /// <summary>
    /// Claims a source's hash for an id; a hash held by a committed (or still importing) recording is a duplicate, an
    /// error unless <paramref name="force"/> (then the holder keeps it, and this returns false). A forced import of a
    /// source not yet held claims it too, so a later plain import of the same source is refused.
    /// </summary>
    public async Task<bool> ClaimHashAsync(string sha256, long id, string sourceName, bool force, CancellationToken ct)
    {
        var key = ArchiveLayout.HashClaimKey(place.MountPath, sha256);
        var mine = Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await Store.SetIfAbsentAsync(key, mine, ct).ConfigureAwait(false)) return true;
            var holderText = await Store.GetAsync(key, ct).ConfigureAwait(false);
            if (holderText is null || !long.TryParse(Encoding.UTF8.GetString(holderText), out var holder)) continue;
            if (await place.IsCommittedAsync(holder, ct).ConfigureAwait(false))
                return force ? false : throw new DuplicateRecordingException(sourceName, sha256, holder);
            var claim = await ReadClaimAsync(holder, ct).ConfigureAwait(false);
            if (!IsStale(claim, StaleClaimAge))
            {
                // Not a duplicate yet: the holder may still fail, and a task that counted this as done would lose the file.
                var stamp = StampOf(claim);
                return force ? false : throw new SourceBeingImportedException(sourceName, sha256, holder, stamp?.ToString() ?? "another import", stamp?.LeaseUntil);
            }
            // Its importer is gone; unless it committed between the two reads, the hash is free to take over.
            if (await place.IsCommittedAsync(holder, ct).ConfigureAwait(false)) continue;
            await Store.DeleteAsync(key, ct).ConfigureAwait(false);
        }
        return force ? false : throw new DuplicateRecordingException(sourceName, sha256, -1);
    }

    public async Task ReleaseHashAsync(string sha256, long id)
    {
        var key = ArchiveLayout.HashClaimKey(place.MountPath, sha256);
        var holder = await Store.GetAsync(key).ConfigureAwait(false);
        if (holder is not null && Encoding.UTF8.GetString(holder) == id.ToString(CultureInfo.InvariantCulture))
            await Store.DeleteAsync(key).ConfigureAwait(false);
    }

    /// <summary>An id's stored keys other than its claim and lock (what a discard deletes).</summary>
    public async Task<List<string>> DataKeysAsync(long id, CancellationToken ct = default)
    {
        var claimKey = ClaimKey(id);
        var lockKey = ArchiveLayout.LockKey(place.MountPath, id);
        var keys = new List<string>();
        await foreach (var key in Store.ListPrefixAsync(place.RecordingPath(id) + "/", ct).ConfigureAwait(false))
            if (key != claimKey && key != lockKey) keys.Add(key);
        return keys;
    }

    /// <summary>Deletes an id's data (zarr.json first, so it is never half visible) and marks its claim.</summary>
    public async Task DiscardAsync(long id, string state, List<string>? keys = null)
    {
        await Store.DeleteAsync(NodeName.MetadataKey(place.RecordingPath(id))).ConfigureAwait(false);
        foreach (var key in keys ?? await DataKeysAsync(id).ConfigureAwait(false)) await Store.DeleteAsync(key).ConfigureAwait(false);
        await MarkAsync(id, state).ConfigureAwait(false);
        recordings.Forget(id);
        // The claim keeps the id from being taken again only while no higher id exists (new ids are one above the
        // highest); below a higher id it is not needed, and the id's folder goes with it.
        if (await HigherIdExistsAsync(id).ConfigureAwait(false)) await Store.DeleteAsync(ClaimKey(id)).ConfigureAwait(false);
    }

    public async Task<bool> HigherIdExistsAsync(long id, CancellationToken ct = default) =>
        (await place.ListNumberedAsync(ct).ConfigureAwait(false)).Any(other => other > id);
}
