using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ZarrAudio.Archive;
using ZarrAudio.Zarr;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Segments;

/// <summary>
/// The archive's named segment sets (docs/ARCHITECTURE.md, "Segment sets"):
///   {mount}/sets/zarr.json                 plain group
///   {mount}/sets/{name}/zarr.json          group; attributes.zarraudio = {kind: segment_set, current, previous, rows, …}
///   {mount}/sets/{name}/lock.json          held while the set is created or changed (<see cref="RecordingLock"/>)
///   {mount}/sets/{name}/{version}/…        the rows of one version (<see cref="SegmentColumns"/>)
/// A change writes a whole new version, then points the set's zarr.json at it (one PUT, atomic on every store), so a
/// killed writer leaves the set as it was before or after; the version before stays for readers still on it, older
/// ones are removed, and what a killed writer left is removed by <see cref="FindLeftoversAsync"/>.
/// </summary>
internal sealed partial class SegmentSets(ArchiveStore place)
{
    private const string Kind = "segment_set";
    private string Root => ArchiveLayout.Join(place.MountPath, "sets");
    private string SetPath(string name) => Root + "/" + name;
    private string LockKey(string name) => SetPath(name) + "/lock.json";

    /// <summary>
    /// How long a change waits for the set's lock: writers of one set queue behind each other, and on object storage
    /// each change takes a second or two, so a dozen adders may wait longer than a metadata change ever does.
    /// </summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    private Task<RecordingLock> LockAsync(string name, CancellationToken ct) =>
        RecordingLock.AcquireAsync(place.Writable, LockKey(name), $"Segment set '{name}'", ct, LockWait);

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();

    public static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new SegmentSetNameException(name, "the name is empty");
        if (name.IndexOfAny(['/', '\\']) >= 0) throw new SegmentSetNameException(name, "it holds a path character");
        if (!NamePattern().IsMatch(name)) throw new SegmentSetNameException(name, "it holds characters other than letters, digits, '-', '_' and '.', starts with '.', or is longer than 100 characters");
    }

    /// <summary>Stores a new set; refused if the name is taken.</summary>
    public async Task<SegmentSetInfo> CreateAsync(string name, IReadOnlyList<Segment> rows, SegmentSetDescription about, CancellationToken ct)
    {
        CheckName(name);
        place.ThrowIfNotWritable();
        await ZarrGroup.OpenOrCreateAsync(place.Writable, Root, null, ct).ConfigureAwait(false);
        await using var held = await LockAsync(name, ct).ConfigureAwait(false);
        if (await ReadStateAsync(name, ct).ConfigureAwait(false) is not null) throw new SegmentSetExistsException(name);
        var now = DateTimeOffset.UtcNow;
        var state = new JsonObject
        {
            ["kind"] = Kind, ["layout"] = 1, ["name"] = name, ["description"] = about.Description,
            ["created"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["created_by"] = about.CreatedBy ?? $"{Environment.UserName}@{Environment.MachineName}",
            ["sources"] = new JsonArray((about.Sources ?? []).Select(s => (JsonNode)s).ToArray()),
            ["next_segment_id"] = 0,
        };
        return await CommitAsync(name, state, [], rows.Select(r => r with { Set = null }).ToList(), ct).ConfigureAwait(false);
    }

    /// <summary>Adds rows to a set, under its lock: concurrent writers in any process or host each see the rows before.</summary>
    public Task<SegmentSetInfo> AddAsync(string name, IReadOnlyList<Segment> rows, IReadOnlyList<string>? sources, CancellationToken ct) =>
        ChangeAsync(name, (state, old) =>
        {
            if (sources is { Count: > 0 } && state["sources"] is JsonArray known)
                foreach (var s in sources.Where(s => !known.Any(k => k?.GetValue<string>() == s))) known.Add(s);
            return [.. old, .. rows.Select(r => r with { Set = null })];
        }, ct);

    /// <summary>Removes the rows of these segment ids; ids the set does not hold are named in the error.</summary>
    public Task<SegmentSetInfo> RemoveRowsAsync(string name, IReadOnlySet<long> segmentIds, CancellationToken ct) =>
        ChangeAsync(name, (_, old) =>
        {
            var missing = segmentIds.Except(old.Select(r => r.SegmentId)).Order().ToList();
            if (missing.Count > 0)
                throw new InvalidSegmentException($"Segment set '{name}' holds no segment {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? " …" : "")}; nothing was removed.");
            return old.Where(r => !segmentIds.Contains(r.SegmentId)).ToList();
        }, ct);

    /// <summary>Replaces every row with what <paramref name="change"/> makes of them (new rows get new segment ids).</summary>
    public async Task<SegmentSetInfo> ChangeAsync(string name, Func<JsonObject, IReadOnlyList<Segment>, IReadOnlyList<Segment>> change, CancellationToken ct)
    {
        CheckName(name);
        place.ThrowIfNotWritable();
        await using var held = await LockAsync(name, ct).ConfigureAwait(false);
        var state = await ReadStateAsync(name, ct).ConfigureAwait(false) ?? throw new SegmentSetNotFoundException(name, place.Location);
        var old = await SegmentColumns.ReadAsync(place.Store, SetPath(name) + "/" + Current(state), name, ct).ConfigureAwait(false);
        var rows = change(state, old);
        return await CommitAsync(name, state, [Current(state), Previous(state)], rows, ct).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="rows"/> as a new version and points the set at it; call under the set's lock.</summary>
    private async Task<SegmentSetInfo> CommitAsync(string name, JsonObject state, string?[] before, IReadOnlyList<Segment> rows, CancellationToken ct)
    {
        var next = Number(state["next_segment_id"]);
        var numbered = new List<Segment>(rows.Count);
        foreach (var row in rows) numbered.Add(row.Set is null ? row with { SegmentId = next++, Set = name } : row);
        var version = $"v{Number(state["version"]) + 1}_{Guid.NewGuid().ToString("N")[..8]}";
        await SegmentColumns.WriteAsync(place.Writable, SetPath(name) + "/" + version, numbered, ct).ConfigureAwait(false);
        state["version"] = Number(state["version"]) + 1;
        state["current"] = version;
        state["previous"] = before.Length > 0 ? before[0] : null;
        state["next_segment_id"] = next;
        state["updated"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        Summarise(state, numbered);
        // The one write that makes the new version the set's: readers see the rows before it or after it.
        await ZarrGroup.CreateAsync(place.Writable, SetPath(name), new JsonObject { [ArchiveLayout.MarkerKey] = state.DeepClone() }, ct).ConfigureAwait(false);
        // Readers that took the version before a moment ago may still read it; older ones go.
        if (before.Length > 1 && before[1] is { } older) await DeletePrefixAsync(SetPath(name) + "/" + older + "/", ct).ConfigureAwait(false);
        return Describe(state);
    }

    private static void Summarise(JsonObject state, IReadOnlyList<Segment> rows)
    {
        state["rows"] = rows.Count;
        state["recordings"] = rows.Select(r => r.Id).Distinct().Count();
        state["seconds"] = rows.Sum(r => r.DurationSeconds);
        var histograms = new JsonObject();
        var labels = new JsonArray();
        foreach (var column in LabelColumn.Plan(rows))
        {
            labels.Add(column.Name);
            if (column.Categories is null) continue;
            var counts = rows.Where(r => r.Labels.TryGetValue(column.Name, out var v) && v is not null)
                .GroupBy(r => r.Labels[column.Name] is double d ? LabelColumn.Format(d) : (string)r.Labels[column.Name]!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            histograms[column.Name] = new JsonObject(counts.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.LongCount())));
        }
        state["labels"] = labels;
        state["histograms"] = histograms;
    }

    /// <summary>A whole number of the state, whether just set (an int node) or read from JSON.</summary>
    private static long Number(JsonNode? node) => node is null ? 0 : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Current(JsonObject state) => state["current"]!.GetValue<string>();
    private static string? Previous(JsonObject state) => state["previous"]?.GetValue<string>();

    /// <summary>The set's state (its zarr.json's zarraudio attributes), or null when there is no such set.</summary>
    private async Task<JsonObject?> ReadStateAsync(string name, CancellationToken ct)
    {
        ZarrGroup group;
        try { group = await ZarrGroup.OpenAsync(place.Store, SetPath(name), ct).ConfigureAwait(false); }
        catch (ZarrNodeNotFoundException) { return null; }
        if (group.Attributes[ArchiveLayout.MarkerKey] is not JsonObject state || state["kind"]?.GetValue<string>() != Kind)
            throw new ArchiveFormatException($"'{SetPath(name)}' in archive {place.Location} is not a segment set.");
        return (JsonObject)state.DeepClone();
    }

    public async Task<SegmentSetInfo> GetInfoAsync(string name, CancellationToken ct)
    {
        CheckName(name);
        return Describe(await ReadStateAsync(name, ct).ConfigureAwait(false) ?? throw new SegmentSetNotFoundException(name, place.Location));
    }

    /// <summary>A set's rows as of one moment (a version a writer replaced meanwhile is read again from the new one).</summary>
    public async Task<IReadOnlyList<Segment>> GetRowsAsync(string name, CancellationToken ct)
    {
        CheckName(name);
        for (var attempt = 0; ; attempt++)
        {
            var state = await ReadStateAsync(name, ct).ConfigureAwait(false) ?? throw new SegmentSetNotFoundException(name, place.Location);
            try { return await SegmentColumns.ReadAsync(place.Store, SetPath(name) + "/" + Current(state), name, ct).ConfigureAwait(false); }
            catch (Exception e) when (attempt < 3 && e is ZarrNodeNotFoundException or ZarrChunkMissingException) { }
        }
    }

    /// <summary>Every set's name (listing the store; an HTTP archive lists none, but its sets are read by name).</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct)
    {
        if (!place.Store.CanList()) return [];
        var prefix = Root + "/";
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var key in place.Store.Listable(prefix).ListPrefixAsync(prefix, ct).ConfigureAwait(false))
            if (key.EndsWith("/zarr.json", StringComparison.Ordinal) && key.AsSpan(prefix.Length).Count('/') == 1)
                names.Add(key[prefix.Length..key.IndexOf('/', prefix.Length)]);
        return names.ToList();
    }

    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        CheckName(name);
        place.ThrowIfNotWritable();
        await using var held = await LockAsync(name, ct).ConfigureAwait(false);
        if (await ReadStateAsync(name, ct).ConfigureAwait(false) is null) throw new SegmentSetNotFoundException(name, place.Location);
        // The set's zarr.json first: once it is gone the set is gone, whatever a kill leaves of its versions.
        await place.Writable.DeleteAsync(SetPath(name) + "/zarr.json", ct).ConfigureAwait(false);
        await DeletePrefixAsync(SetPath(name) + "/", ct, keep: LockKey(name)).ConfigureAwait(false);
    }

    /// <summary>For every recording some set refers to: those sets, with the segment ids of its rows there.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<(string Set, IReadOnlyList<long> SegmentIds)>>> ReferencesAsync(CancellationToken ct)
    {
        var found = new Dictionary<long, List<(string, IReadOnlyList<long>)>>();
        foreach (var name in await ListNamesAsync(ct).ConfigureAwait(false))
        {
            IReadOnlyList<Segment> rows;
            try { rows = await GetRowsAsync(name, ct).ConfigureAwait(false); }
            catch (SegmentSetNotFoundException) { continue; } // removed since it was listed
            foreach (var byRecording in rows.GroupBy(r => r.Id))
                (found.TryGetValue(byRecording.Key, out var list) ? list : found[byRecording.Key] = []).Add((name, byRecording.Select(r => r.SegmentId).ToList()));
        }
        return found.ToDictionary(p => p.Key, p => (IReadOnlyList<(string, IReadOnlyList<long>)>)p.Value);
    }

    /// <summary>Deletes every key below <paramref name="prefix"/> but <paramref name="keep"/> (the lock the caller holds).</summary>
    private async Task DeletePrefixAsync(string prefix, CancellationToken ct, string? keep = null)
    {
        var keys = new List<string>();
        await foreach (var key in place.Store.Listable(prefix).ListPrefixAsync(prefix, ct).ConfigureAwait(false))
            if (key != keep) keys.Add(key);
        foreach (var key in keys) await place.Writable.DeleteAsync(key, ct).ConfigureAwait(false);
    }

    internal static SegmentSetInfo Describe(JsonObject s) => new()
    {
        Name = s["name"]!.GetValue<string>(),
        Rows = Number(s["rows"]),
        Recordings = (int)Number(s["recordings"]),
        Seconds = s["seconds"] is { } seconds ? double.Parse(seconds.ToJsonString(), CultureInfo.InvariantCulture) : 0,
        Description = s["description"]?.GetValue<string>(),
        Created = DateTimeOffset.Parse(s["created"]!.GetValue<string>(), CultureInfo.InvariantCulture),
        Updated = s["updated"] is { } u ? DateTimeOffset.Parse(u.GetValue<string>(), CultureInfo.InvariantCulture) : default,
        CreatedBy = s["created_by"]?.GetValue<string>(),
        Sources = s["sources"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [],
        Labels = s["labels"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [],
        Histograms = (s["histograms"] as JsonObject ?? []).ToDictionary(
            p => p.Key, p => (IReadOnlyDictionary<string, long>)p.Value!.AsObject().ToDictionary(q => q.Key, q => Number(q.Value), StringComparer.Ordinal), StringComparer.Ordinal),
    };
}
