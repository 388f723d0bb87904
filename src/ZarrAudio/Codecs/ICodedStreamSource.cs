namespace ZarrAudio.Codecs;

/// <summary>
/// A reader whose stored frames another program can take as they are (no decode, no second lossy generation):
/// an export of a whole recording to a container of the same coding copies them.
/// </summary>
public interface ICodedStreamSource
{
    /// <summary>The ffmpeg input format of <see cref="WriteCodedAsync"/>'s bytes (e.g. "aac" for ADTS), or null when the
    /// stored frames cannot stand alone (several streams, or a rate the frames do not declare).</summary>
    string? CodedFormat { get; }

    /// <summary>Output containers (ffmpeg muxer names and file extensions) that hold these frames as they are.</summary>
    IReadOnlySet<string> CopyContainers { get; }

    /// <summary>
    /// Samples another decoder outputs before the first source sample (AAC: the encoder's delay). A copy into a
    /// container with an edit list starts that much before zero, so players skip them and sample s is at s.
    /// </summary>
    int PrimingSamples { get; }

    /// <summary>Writes every stored frame in order; reports frames written.</summary>
    Task WriteCodedAsync(Stream output, IProgress<long>? progress, CancellationToken ct);
}
