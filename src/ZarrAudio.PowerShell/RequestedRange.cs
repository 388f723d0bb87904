using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>
/// The range a cmdlet asks for, by sample index (-Start/-Count, a negative count meaning "to the end") or by
/// time (-StartTime/-Duration, rounded to the nearest sample), resolved against one recording's rate and length.
/// </summary>
internal readonly record struct RequestedRange(bool Timed, long Start, long Count, TimeSpan StartTime, TimeSpan? Duration)
{
    public (long Start, long Count) Resolve(Recording recording)
    {
        var start = Timed ? (long)Math.Round(StartTime.TotalSeconds * recording.SampleRate) : Start;
        if (start >= recording.SampleCount)
            throw new SampleRangeException(
                $"Start {(Timed ? $"{StartTime} (sample {start})" : $"sample {start}")} is past the end of recording {recording.Id}, which has {recording.SampleCount} samples ({recording.Technical.Duration}) at {recording.SampleRate} Hz.");
        if (!Timed) return (start, Count < 0 ? recording.SampleCount - start : Count);
        return (start, Duration is { } d ? (long)Math.Round(d.TotalSeconds * recording.SampleRate) : recording.SampleCount - start);
    }
}
