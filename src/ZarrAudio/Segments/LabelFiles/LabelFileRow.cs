namespace ZarrAudio.Segments.LabelFiles;

/// <summary>The label-file formats read and written (<see cref="LabelFileReader"/>, <see cref="LabelFileWriter"/>).</summary>
public enum LabelFileFormat
{
    /// <summary>Raven selection tables (tab-separated; BirdNET-Analyzer's selection tables are Raven tables).</summary>
    Raven,
    /// <summary>Audacity label tracks: start, end, label, and optional "\ low high" frequency lines.</summary>
    Audacity,
    /// <summary>BirdNET-Analyzer's CSV: Start (s), End (s), Scientific name, Common name, Confidence, File.</summary>
    BirdNetCsv,
    /// <summary>A plain CSV of the rows (written only): recording, source, span in samples and seconds, band, labels, and each clip's file.</summary>
    Csv,
}

/// <summary>
/// One row of a label file, in the file's own terms: seconds within an audio file (the one the row names, or the one
/// the label file is for), a 0-based channel, a band, labels; <see cref="Line"/> for errors.
/// </summary>
public sealed record LabelFileRow
{
    public required string File { get; init; }
    public required int Line { get; init; }
    /// <summary>The audio file the row names (Begin Path, Begin File, File); null: the label file's own recording.</summary>
    public string? AudioFile { get; init; }
    public required double Start { get; init; }
    public required double End { get; init; }
    public int? Channel { get; init; }
    public double? LowFrequency { get; init; }
    public double? HighFrequency { get; init; }
    public IReadOnlyDictionary<string, object?> Labels { get; init; } = Segment.EmptyLabels;
    public string Origin => $"{Path.GetFileName(File)} line {Line}";
}

/// <summary>A label file that does not follow its format: names the file and line.</summary>
public sealed class LabelFileException(string file, int line, string message)
    : ZarrAudioException($"{file}{(line > 0 ? $" line {line}" : "")}: {message}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}
