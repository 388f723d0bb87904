namespace ZarrAudio.Segments;

/// <summary>
/// A row as a user brings it: the span in samples (<see cref="Start"/>, <see cref="Count"/>) or in seconds
/// (<see cref="StartTime"/>, <see cref="Duration"/>); neither: the whole recording. Seconds become samples by one rule,
/// <see cref="Reading.RangeRequest.ToSample"/>, for the start and the end alike, so adjacent rows stay adjacent.
/// </summary>
public sealed record SegmentInput
{
    public required long Id { get; init; }
    public long? Start { get; init; }
    public long? Count { get; init; }
    public double? StartTime { get; init; }
    public double? Duration { get; init; }
    public int? Channel { get; init; }
    public double? LowFrequency { get; init; }
    public double? HighFrequency { get; init; }
    /// <summary>The fingerprint a row read from a set carries: it must still match its recording.</summary>
    public string? Fingerprint { get; init; }
    public IReadOnlyDictionary<string, object?> Labels { get; init; } = Segment.EmptyLabels;
    public string? Origin { get; init; }

    public static SegmentInput From(Segment s) => new()
    {
        Id = s.Id, Start = s.Start, Count = s.Count, Channel = s.Channel, LowFrequency = s.LowFrequency, HighFrequency = s.HighFrequency,
        Fingerprint = s.Fingerprint, Labels = s.Labels, Origin = s.Origin ?? (s.Set is null ? null : $"segment {s.SegmentId} of set '{s.Set}'"),
    };
}
