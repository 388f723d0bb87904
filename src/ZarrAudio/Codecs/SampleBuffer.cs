namespace ZarrAudio.Codecs;

/// <summary>
/// A block of interleaved samples ([frame, channel]) handed to an encoder, in the representation the encoder asked
/// for (<see cref="StoredFormat"/>): right-justified integers, float32 or float64. Exactly one of the three is set.
/// </summary>
public readonly struct SampleBuffer
{
    private SampleBuffer(SampleEncoding encoding, ReadOnlyMemory<int> integers, ReadOnlyMemory<float> floats, ReadOnlyMemory<double> doubles) =>
        (Encoding, Integers, Floats, Doubles) = (encoding, integers, floats, doubles);

    public SampleEncoding Encoding { get; }
    public ReadOnlyMemory<int> Integers { get; }
    public ReadOnlyMemory<float> Floats { get; }
    public ReadOnlyMemory<double> Doubles { get; }

    /// <summary>Interleaved values (frames × channels).</summary>
    public int Length => Encoding switch { SampleEncoding.Integer => Integers.Length, SampleEncoding.Float32 => Floats.Length, _ => Doubles.Length };

    public static SampleBuffer Of(ReadOnlyMemory<int> samples) => new(SampleEncoding.Integer, samples, default, default);
    public static SampleBuffer Of(ReadOnlyMemory<float> samples) => new(SampleEncoding.Float32, default, samples, default);
    public static SampleBuffer Of(ReadOnlyMemory<double> samples) => new(SampleEncoding.Float64, default, default, samples);

    public SampleBuffer Slice(int start, int length) => Encoding switch
    {
        SampleEncoding.Integer => Of(Integers.Slice(start, length)),
        SampleEncoding.Float32 => Of(Floats.Slice(start, length)),
        _ => Of(Doubles.Slice(start, length)),
    };
}
