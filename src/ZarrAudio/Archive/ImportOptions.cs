using System.Text.Json.Nodes;

namespace ZarrAudio.Archive;

/// <summary>How to import one source.</summary>
public sealed record ImportOptions
{
    /// <summary>
    /// The codec: "auto" (default: FLAC where it stores the source losslessly, PCM where it cannot, lossy sources as
    /// 24-bit FLAC; see <see cref="Codecs.RecordingCodecs.Choose"/>), or a codec's name ("flac", "pcm").
    /// </summary>
    public string Codec { get; init; } = Codecs.RecordingCodecs.Auto;
    /// <summary>The codec's own settings by name (FLAC CompressionLevel, AAC Bitrate: see each codec's Options).</summary>
    public Codecs.CodecOptions CodecOptions { get; init; } = Codecs.CodecOptions.None;
    /// <summary>Which audio stream of the source (0 = first audio stream).</summary>
    public int? AudioStream { get; init; }
    /// <summary>User metadata to store with the recording.</summary>
    /// <remarks>Strings, numbers, booleans, dates, arrays and nested dictionaries (see <see cref="Metadata.MetadataValues"/>).</remarks>
    public System.Collections.IDictionary? UserMetadata { get; init; }
    /// <summary>Import even when a source with the same SHA-256 is already in the archive.</summary>
    public bool Force { get; init; }
    /// <summary>For sample arrays of Int32: the bits actually used (e.g. 24). Default: from the element type.</summary>
    public int? BitsPerSample { get; init; }
    /// <summary>
    /// Keep a source whose samples do not match the MD5 its header holds (FLAC STREAMINFO), recording both MD5s,
    /// instead of refusing it.
    /// </summary>
    public bool IgnoreSourceChecksum { get; init; }
    /// <summary>
    /// The IANA time zone the recorder's clock ran in: a start time the source gives without an offset is placed in it
    /// (<see cref="Metadata.RecordingTime.SetZone"/>).
    /// </summary>
    public string? TimeZone { get; init; }
    /// <summary>The start, when the user knows it better than the file (or the file has none): the recorder's clock, with its offset if known.</summary>
    public (DateTime WallClock, TimeSpan? Offset)? RecordedAt { get; init; }
}

/// <summary>Progress of one import: samples encoded so far out of an estimate.</summary>
public readonly record struct ImportProgress(string Source, long SamplesDone, long SamplesEstimated);

public enum UserMetadataChange { Merge, Replace }
