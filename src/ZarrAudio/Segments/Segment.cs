namespace ZarrAudio.Segments;

/// <summary>
/// One row of a segment set: a span of one recording in samples, optionally one channel and a frequency band, with
/// the user's labels, pinned to the recording's content by <see cref="Fingerprint"/>. Label values are strings,
/// numbers (double) or null.
/// </summary>
public sealed record Segment
{
    /// <summary>The row's number in its set: stable while the set lives, never reused after a removal.</summary>
    public long SegmentId { get; init; }
    /// <summary>The recording's id.</summary>
    public required long Id { get; init; }
    public required long Start { get; init; }
    /// <summary>Samples per channel.</summary>
    public required long Count { get; init; }
    public int SampleRate { get; init; }
    public int? Channel { get; init; }
    /// <summary>Hz; null when the row does not bound the band.</summary>
    public double? LowFrequency { get; init; }
    public double? HighFrequency { get; init; }
    /// <summary>The recording's content fingerprint when the row was added (<see cref="Archive.RecordingFingerprint"/>).</summary>
    public string Fingerprint { get; init; } = "";
    public IReadOnlyDictionary<string, object?> Labels { get; init; } = EmptyLabels;
    /// <summary>The set the row was read from; null for a row not yet stored.</summary>
    public string? Set { get; init; }
    /// <summary>Where an incoming row came from ("calls.txt line 4", "input row 3"), for errors; not stored.</summary>
    public string? Origin { get; init; }

    // Seconds under names of their own: a row piped into Read-Samples binds Start and Count, and StartTime/Duration
    // there would be the other parameter set.
    public double StartSeconds => SampleRate > 0 ? Start / (double)SampleRate : double.NaN;
    public double DurationSeconds => SampleRate > 0 ? Count / (double)SampleRate : double.NaN;
    public double EndSeconds => StartSeconds + DurationSeconds;

    public static readonly IReadOnlyDictionary<string, object?> EmptyLabels = new Dictionary<string, object?>();
}
