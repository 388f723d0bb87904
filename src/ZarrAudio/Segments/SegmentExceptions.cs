namespace ZarrAudio.Segments;

/// <summary>No segment set of that name under the archive's mount.</summary>
public sealed class SegmentSetNotFoundException(string name, string archive)
    : ZarrAudioException($"There is no segment set '{name}' in archive {archive}.")
{
    public string Name { get; } = name;
}

/// <summary>A set of that name exists already.</summary>
public sealed class SegmentSetExistsException(string name)
    : ZarrAudioException($"A segment set '{name}' exists already; add rows to it with Add-Segment, or remove it first.")
{
    public string Name { get; } = name;
}

/// <summary>A set name that cannot be a store key (path characters, empty, too long).</summary>
public sealed class SegmentSetNameException(string name, string why)
    : ZarrAudioException($"'{name}' cannot name a segment set: {why}. Use letters, digits, '-', '_' and '.' (not first), up to 100 characters.");

/// <summary>A row that cannot be stored: unknown recording, range past its end, end before start, band above Nyquist…</summary>
public sealed class InvalidSegmentException(string message, string? where = null)
    : ZarrAudioException(where is null ? message : $"{where}: {message}")
{
    /// <summary>Where the row came from (file and line, or input row number).</summary>
    public string? Where { get; } = where;
}

/// <summary>
/// Rows whose recording was removed, replaced or changed since they were added: reading them would give other audio.
/// </summary>
public sealed class SegmentStaleException(string message, IReadOnlyList<long> segmentIds)
    : ZarrAudioException(message)
{
    public IReadOnlyList<long> SegmentIds { get; } = segmentIds;

    /// <summary>Throws one error naming every stale row (grouped by why), if there are any.</summary>
    public static void ThrowIfAny(string? set, IReadOnlyList<(Segment Row, string Why)> stale)
    {
        if (stale.Count == 0) return;
        var named = string.Join("; ", stale.GroupBy(s => s.Why).Select(g =>
            $"segment {string.Join(", ", g.Take(20).Select(s => s.Row.SegmentId))}{(g.Count() > 20 ? $" and {g.Count() - 20} more" : "")}: {g.Key}"));
        throw new SegmentStaleException($"{stale.Count} row(s){(set is null ? "" : $" of segment set '{set}'")} no longer point at the audio they describe ({named}). Remove them with Remove-Segment, or label the new recording again.",
            stale.Select(s => s.Row.SegmentId).ToList());
    }
}
