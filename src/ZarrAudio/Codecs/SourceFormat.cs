namespace ZarrAudio.Codecs;

/// <summary>How a source's samples are represented: integers of some bit depth, or IEEE floats.</summary>
public enum SampleEncoding { Integer, Float32, Float64 }

/// <summary>What an import knows about a source's samples before any is decoded.</summary>
/// <param name="BitsPerSample">Integer sources: the bits used (8 to 32). Floats: 32 or 64.</param>
/// <param name="IsLossy">The source went through a lossy codec (MP3, AAC, Vorbis, Opus…): its float samples carry
/// that codec's noise, far above 24-bit resolution.</param>
public sealed record SourceFormat(int SampleRate, int Channels, SampleEncoding Encoding, int BitsPerSample, bool IsLossy = false)
{
    public bool IsFloat => Encoding != SampleEncoding.Integer;
}

/// <summary>The samples an encoder is fed (and a reader returns naturally): the source's own, or integers quantised from floats.</summary>
public sealed record StoredFormat(SampleEncoding Encoding, int BitsPerSample)
{
    public static StoredFormat Integer(int bits) => new(SampleEncoding.Integer, bits);
    public static readonly StoredFormat Float32 = new(SampleEncoding.Float32, 32);
    public static readonly StoredFormat Float64 = new(SampleEncoding.Float64, 64);
}

/// <summary>
/// Whether and how a codec can store a source: <see cref="Stored"/> is null when it cannot (the limit is named);
/// otherwise the samples it would be fed, and whether that is lossless (when not, <see cref="Limit"/> says what is lost).
/// </summary>
public sealed record CodecFit(StoredFormat? Stored, bool Lossless, string? Limit)
{
    public static CodecFit Exact(StoredFormat stored) => new(stored, true, null);
    public static CodecFit Refused(string limit) => new(null, false, limit);
}
