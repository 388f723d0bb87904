namespace ZarrAudio.Export;

/// <summary>What to export: a range of a recording, to a file, in a format ffmpeg encodes.</summary>
public sealed record ExportRequest
{
    /// <summary>First sample (per channel) to export.</summary>
    public long Start { get; init; }
    /// <summary>Samples per channel; null exports to the end of the recording.</summary>
    public long? Count { get; init; }
    /// <summary>0-based channels in output order; null exports all.</summary>
    public int[]? Channels { get; init; }
    /// <summary>ffmpeg muxer name (e.g. "wav", "flac", "ogg"); null lets ffmpeg choose from the file extension.</summary>
    public string? Format { get; init; }
    /// <summary>Tags to write into the file. Nothing else is written: the archive's metadata stays in the archive.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    /// <summary>Further ffmpeg output options (e.g. "-b:a 128k"), for codecs that need them.</summary>
    public string? ExtraOutputArguments { get; init; }
    /// <summary>Replace an existing file; without it an existing target is an error.</summary>
    public bool Overwrite { get; init; }
}

/// <summary>An exported file.</summary>
public sealed record ExportResult(long Id, string Path, long Start, long Count, string Format);
