using System.Globalization;
using ZarrAudio.Archive;

namespace ZarrAudio.Segments;

/// <summary>
/// Checks rows against the recordings they name: on the way in (the recording exists, the span and band fit it; the
/// row is then pinned with the recording's rate and fingerprint), and on the way out (the recording is still the one
/// the row was pinned to).
/// </summary>
internal sealed class SegmentPinning(Func<long, CancellationToken, Task<Recording?>> find, string archive)
{
    private readonly Dictionary<long, (Recording? Recording, string? Fingerprint)> _seen = [];

    /// <summary>The recording and its fingerprint, looked up (and hashed) once per id.</summary>
    private async Task<(Recording? Recording, string? Fingerprint)> RecordingAsync(long id, CancellationToken ct)
    {
        if (_seen.TryGetValue(id, out var known)) return known;
        var recording = await find(id, ct).ConfigureAwait(false);
        return _seen[id] = (recording, recording is null ? null : RecordingFingerprint.Of(recording.Metadata));
    }

    public async Task<List<Segment>> PrepareAsync(IEnumerable<SegmentInput> input, CancellationToken ct)
    {
        var rows = new List<Segment>();
        var number = 0;
        foreach (var row in input)
        {
            number++;
            var where = row.Origin ?? $"input row {number}";
            var (found, print) = await RecordingAsync(row.Id, ct).ConfigureAwait(false);
            var recording = found ?? throw new InvalidSegmentException($"recording {row.Id} does not exist in archive {archive}.", where);
            var fingerprint = print!;
            if (row.Fingerprint is { Length: > 0 } pinned && !pinned.Equals(fingerprint, StringComparison.OrdinalIgnoreCase))
                throw new InvalidSegmentException($"the row was pinned to other audio than recording {row.Id} now holds (fingerprint {pinned}, now {fingerprint}): it was removed and replaced, or the row is from another archive.", where);
            var segment = Span(row, recording, where) with
            {
                Channel = row.Channel, LowFrequency = row.LowFrequency, HighFrequency = row.HighFrequency,
                Labels = row.Labels, SampleRate = recording.SampleRate, Fingerprint = fingerprint, Origin = where,
            };
            Check(segment, recording, where);
            rows.Add(segment);
        }
        return rows;
    }

    /// <summary>The row's span in samples, from samples or seconds; both or neither: refused, or the whole recording.</summary>
    private static Segment Span(SegmentInput row, Recording recording, string where)
    {
        if ((row.Start ?? row.Count) is not null && (row.StartTime ?? row.Duration) is not null)
            throw new InvalidSegmentException("the row gives its span both in samples (Start, Count) and in seconds (StartTime, Duration); give one.", where);
        if (row.StartTime is { } t0 && (double.IsNaN(t0) || t0 < 0) || row.Duration is { } d0 && (double.IsNaN(d0) || d0 < 0))
            throw new InvalidSegmentException($"the row starts at {row.StartTime} s and lasts {row.Duration} s; neither may be negative (an end before its start is a negative duration).", where);
        if (row.StartTime is not null || row.Duration is not null)
        {
            var start = Reading.RangeRequest.ToSample(row.StartTime ?? 0, recording.SampleRate);
            var end = row.Duration is { } d ? Reading.RangeRequest.ToSample((row.StartTime ?? 0) + d, recording.SampleRate) : recording.SampleCount;
            return new Segment { Id = row.Id, Start = start, Count = end - start };
        }
        var s = row.Start ?? 0;
        return new Segment { Id = row.Id, Start = s, Count = row.Count ?? recording.SampleCount - s };
    }

    private static void Check(Segment row, Recording recording, string where)
    {
        string Seconds(long samples) => (samples / (double)recording.SampleRate).ToString("0.######", CultureInfo.InvariantCulture) + " s";
        if (row.Start < 0 || row.Count < 0)
            throw new InvalidSegmentException($"the segment starts at {row.Start} and is {row.Count} samples long; neither may be negative (an end before its start is a negative length).", where);
        if (row.Start + row.Count > recording.SampleCount)
            throw new InvalidSegmentException($"the segment ends at sample {row.Start + row.Count} ({Seconds(row.Start + row.Count)}), past the end of recording {recording.Id} ({recording.SampleCount} samples, {Seconds(recording.SampleCount)}).", where);
        if (row.Channel is { } c && (c < 0 || c >= recording.Channels))
            throw new InvalidSegmentException($"channel {c} does not exist; recording {recording.Id} has {recording.Channels} (0 to {recording.Channels - 1}).", where);
        var nyquist = recording.SampleRate / 2.0;
        foreach (var (name, f) in new[] { ("low", row.LowFrequency), ("high", row.HighFrequency) })
            if (f is { } hz && (double.IsNaN(hz) || hz < 0 || hz > nyquist))
                throw new InvalidSegmentException($"the {name} frequency {hz.ToString(CultureInfo.InvariantCulture)} Hz is outside 0 to {nyquist.ToString(CultureInfo.InvariantCulture)} Hz (half recording {recording.Id}'s rate of {recording.SampleRate} Hz).", where);
        if (row.LowFrequency > row.HighFrequency)
            throw new InvalidSegmentException($"the low frequency {row.LowFrequency} Hz is above the high frequency {row.HighFrequency} Hz.", where);
    }

    /// <summary>The rows whose recording is gone or holds other audio than they were pinned to, each with why.</summary>
    public async Task<List<(Segment Row, string Why)>> FindStaleAsync(IEnumerable<Segment> rows, CancellationToken ct)
    {
        var stale = new List<(Segment, string)>();
        foreach (var row in rows)
        {
            var (recording, fingerprint) = await RecordingAsync(row.Id, ct).ConfigureAwait(false);
            if (recording is null) stale.Add((row, $"recording {row.Id} was removed"));
            else if (!fingerprint!.Equals(row.Fingerprint, StringComparison.OrdinalIgnoreCase))
                stale.Add((row, $"recording {row.Id} holds other audio than the row was pinned to"));
        }
        return stale;
    }
}
