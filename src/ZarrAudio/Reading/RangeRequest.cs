namespace ZarrAudio.Reading;

/// <summary>
/// A range of one recording as a user asks for it: by sample index (a start, and a count or "to the end") or by
/// time (a start, and a duration or "to the end"), rounded to the nearest sample once the recording's rate is known.
/// <see cref="Archive.Recording.Resolve"/> turns it into samples and is where every range is checked.
/// </summary>
public readonly record struct RangeRequest
{
    private RangeRequest(long start, long? count, TimeSpan? startTime, TimeSpan? duration) =>
        (Start, Count, StartTime, Duration) = (start, count, startTime, duration);

    public long Start { get; }
    /// <summary>Samples per channel; null: to the end of the recording.</summary>
    public long? Count { get; }
    /// <summary>Set for a range asked for by time.</summary>
    public TimeSpan? StartTime { get; }
    public TimeSpan? Duration { get; }

    /// <summary>
    /// Seconds to a sample index: the nearest sample, halves to even (<see cref="Math.Round(double)"/>). A range's start
    /// and end are each rounded by this rule (its length is end − start), so adjacent ranges stay adjacent.
    /// </summary>
    public static long ToSample(double seconds, int sampleRate) => (long)Math.Round(seconds * sampleRate);

    public static RangeRequest Samples(long start, long? count = null) => new(start, count, null, null);
    public static RangeRequest Time(TimeSpan start, TimeSpan? duration = null) => new(0, null, start, duration);
}
