using ZarrAudio.Segments;

namespace ZarrAudio.Archive;

/// <summary>The archive's segment sets (<see cref="SegmentSets"/>): labelled spans pinned to their recordings.</summary>
public sealed partial class AudioArchive
{
    /// <summary>Checks the rows against their recordings, pins them, and stores them as a new set.</summary>
    public async Task<SegmentSetInfo> CreateSegmentSetAsync(string name, IEnumerable<SegmentInput> rows, SegmentSetDescription? about = null, CancellationToken ct = default)
    {
        SegmentSets.CheckName(name);
        var pinned = await PinSegmentsAsync(rows, ct).ConfigureAwait(false);
        return await _sets.CreateAsync(name, pinned, about ?? new SegmentSetDescription(), ct).ConfigureAwait(false);
    }

    /// <summary>Checks and pins the rows, then adds them to the set (concurrent adders lose nothing).</summary>
    public async Task<SegmentSetInfo> AddSegmentsAsync(string name, IEnumerable<SegmentInput> rows, IReadOnlyList<string>? sources = null, CancellationToken ct = default)
    {
        SegmentSets.CheckName(name);
        var pinned = await PinSegmentsAsync(rows, ct).ConfigureAwait(false);
        return await _sets.AddAsync(name, pinned, sources, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows checked against their recordings (which exist, hold the span and band, and are the audio a pinned row
    /// names) and pinned to them: segments ready to store or read, in input order.
    /// </summary>
    public async Task<List<Segment>> PinSegmentsAsync(IEnumerable<SegmentInput> rows, CancellationToken ct = default)
    {
        var list = rows.ToList();
        return await (await PinningAsync(list.Select(r => r.Id), ct).ConfigureAwait(false)).PrepareAsync(list, ct).ConfigureAwait(false);
    }

    public Task<SegmentSetInfo> RemoveSegmentsAsync(string name, IReadOnlySet<long> segmentIds, CancellationToken ct = default) =>
        _sets.RemoveRowsAsync(name, segmentIds, ct);

    public Task DeleteSegmentSetAsync(string name, CancellationToken ct = default) => _sets.DeleteAsync(name, ct);

    public Task<SegmentSetInfo> GetSegmentSetAsync(string name, CancellationToken ct = default) => _sets.GetInfoAsync(name, ct);

    public async Task<IReadOnlyList<SegmentSetInfo>> GetSegmentSetsAsync(CancellationToken ct = default)
    {
        var infos = new List<SegmentSetInfo>();
        foreach (var name in await _sets.ListNamesAsync(ct).ConfigureAwait(false))
            try { infos.Add(await _sets.GetInfoAsync(name, ct).ConfigureAwait(false)); }
            catch (SegmentSetNotFoundException) { } // removed since it was listed
        return infos;
    }

    /// <summary>
    /// A set's rows. With <paramref name="checkPins"/>, rows whose recording was removed or replaced fail the call with
    /// <see cref="SegmentStaleException"/> naming them: never rows that would read other audio.
    /// </summary>
    public async Task<IReadOnlyList<Segment>> GetSegmentsAsync(string name, bool checkPins = true, CancellationToken ct = default)
    {
        var rows = await _sets.GetRowsAsync(name, ct).ConfigureAwait(false);
        if (checkPins) SegmentStaleException.ThrowIfAny(name, await (await PinningAsync(rows.Select(r => r.Id), ct).ConfigureAwait(false)).FindStaleAsync(rows, ct).ConfigureAwait(false));
        return rows;
    }

    /// <summary>The rows (of any sets) whose recording no longer holds the audio they were pinned to, each with why.</summary>
    public async Task<IReadOnlyList<(Segment Row, string Why)>> FindStaleSegmentsAsync(IReadOnlyList<Segment> rows, CancellationToken ct = default) =>
        await (await PinningAsync(rows.Select(r => r.Id), ct).ConfigureAwait(false)).FindStaleAsync(rows, ct).ConfigureAwait(false);

    /// <summary>For every recording a segment set refers to: the sets, with the segment ids of its rows there.</summary>
    public Task<IReadOnlyDictionary<long, IReadOnlyList<(string Set, IReadOnlyList<long> SegmentIds)>>> GetSegmentReferencesAsync(CancellationToken ct = default) =>
        _sets.ReferencesAsync(ct);

    /// <summary>Splits a set into named parts (a label column), reproducibly from the seed; returns each part's row count.</summary>
    public async Task<IReadOnlyDictionary<string, int>> SplitSegmentSetAsync(string name, SegmentSplitOptions options, CancellationToken ct = default)
    {
        var rows = await GetSegmentsAsync(name, checkPins: true, ct).ConfigureAwait(false);
        var groupOf = await GroupingAsync(rows, options.GroupBy, ct).ConfigureAwait(false);
        var assigned = SegmentSplit.Assign(rows, options, groupOf);
        await _sets.ChangeAsync(name, (_, current) =>
        {
            if (current.Count != rows.Count || current.Any(r => !assigned.ContainsKey(r.SegmentId)))
                throw new ArchiveBusyException($"Segment set '{name}' changed while it was being split; split it again.");
            return current.Select(r => r with { Labels = WithLabel(r.Labels, options.Column, assigned[r.SegmentId]) }).ToList();
        }, ct).ConfigureAwait(false);
        return options.Names.ToDictionary(n => n, n => assigned.Values.Count(v => v == n), StringComparer.Ordinal);
    }

    private static Dictionary<string, object?> WithLabel(IReadOnlyDictionary<string, object?> labels, string key, object? value) =>
        new(labels, StringComparer.Ordinal) { [key] = value };

    /// <summary>What keeps rows together in a split: the recording, nothing, a label column, or recording metadata.</summary>
    private async Task<Func<Segment, string>> GroupingAsync(IReadOnlyList<Segment> rows, string groupBy, CancellationToken ct)
    {
        if (groupBy.Equals("Recording", StringComparison.OrdinalIgnoreCase)) return r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (groupBy.Equals("Segment", StringComparison.OrdinalIgnoreCase)) return r => r.SegmentId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (rows.Any(r => r.Labels.ContainsKey(groupBy)))
            return r => r.Labels.TryGetValue(groupBy, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "";
        var keys = new Dictionary<long, string>();
        foreach (var id in rows.Select(r => r.Id).Distinct())
        {
            var recording = await GetRecordingAsync(id, ct).ConfigureAwait(false);
            var value = recording.Metadata.User[groupBy]?.ToJsonString()
                ?? typeof(Metadata.TechnicalMetadata).GetProperty(groupBy, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.GetValue(recording.Technical)?.ToString();
            keys[id] = value ?? throw new InvalidSegmentException($"-GroupBy '{groupBy}' is neither Recording, Segment, a label column of the set, nor a user or technical metadata key of recording {id}.");
        }
        return r => keys[r.Id];
    }

    /// <summary>Looks recordings up one by one when rows name few, else lists them all once (the catalog).</summary>
    private async Task<SegmentPinning> PinningAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        if (ids.Distinct().Take(33).Count() <= 32)
            return new SegmentPinning((id, c) => _recordings.TryGetAsync(id, refresh: true, c), Location);
        var all = (await GetRecordingsAsync(ct).ConfigureAwait(false)).ToDictionary(r => r.Id);
        return new SegmentPinning((id, _) => Task.FromResult(all.GetValueOrDefault(id)), Location);
    }
}
