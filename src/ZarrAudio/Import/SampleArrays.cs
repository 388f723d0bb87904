using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrAudio.Codecs;

namespace ZarrAudio.Import;

/// <summary>
/// Sample arrays given by a caller (1-D mono, 2-D [frame, channel], or one array per channel): their format, and their
/// samples as one interleaved block in the representation the chosen codec stores.
/// </summary>
internal sealed class SampleArrays
{
    private readonly Array _samples; // 1-D or 2-D, C order = interleaved

    private SampleArrays(Array samples, int channels, SampleEncoding encoding, int bits)
    {
        _samples = samples;
        Channels = channels;
        Encoding = encoding;
        BitsPerSample = bits;
    }

    public int Channels { get; }
    public SampleEncoding Encoding { get; }
    public int BitsPerSample { get; }
    public long Frames => _samples.Length / Channels;
    public string ElementType => _samples.GetType().GetElementType()!.Name;

    /// <summary>The arrays' samples in ffprobe's names (u8, s16, s32, flt, dbl), as a file's are recorded.</summary>
    public string SampleFormatName => ElementType switch
    {
        "SByte" or "Byte" => "u8",
        "Int16" => "s16",
        "Int32" => "s32",
        "Single" => "flt",
        "Double" => "dbl",
        var other => other,
    };

    public SourceFormat Format(int sampleRate) => new(sampleRate, Channels, Encoding, BitsPerSample);

    public static SampleArrays From(Array samples, int? bitsPerSample)
    {
        if (samples is Array[] jagged) samples = FromChannels(jagged);
        if (samples.Rank is not (1 or 2)) throw new InvalidSamplesException($"Samples must be a 1-D (mono) or 2-D [frame, channel] array, or one array per channel; this one has {samples.Rank} dimensions.");
        var channels = samples.Rank == 1 ? 1 : samples.GetLength(1);
        if (channels < 1 || samples.Length == 0) throw new InvalidSamplesException("The sample array is empty: there are no samples to store.");
        var (encoding, bits) = samples switch
        {
            sbyte[] or sbyte[,] or byte[] or byte[,] => (SampleEncoding.Integer, 8),
            short[] or short[,] => (SampleEncoding.Integer, 16),
            int[] or int[,] => (SampleEncoding.Integer, bitsPerSample ?? 32),
            float[] or float[,] => (SampleEncoding.Float32, 32),
            double[] or double[,] => (SampleEncoding.Float64, 64),
            _ => throw new InvalidSamplesException($"Samples of type {samples.GetType().GetElementType()?.Name} are not supported: use sbyte, byte, short, int, float or double."),
        };
        if (encoding == SampleEncoding.Integer && bits is < 1 or > 32) throw new InvalidSamplesException($"{bits} bits per sample is outside 1 to 32.");
        if (samples is int[] or int[,] && bits < 32)
        {
            long min = -(1L << (bits - 1)), max = (1L << (bits - 1)) - 1;
            foreach (var v in Elements<int>(samples))
                if (v < min || v > max) throw new InvalidSamplesException($"Sample {v} does not fit in {bits} bits.");
        }
        return new SampleArrays(samples, channels, encoding, bits);
    }

    /// <summary>All samples, interleaved, as the stored format wants them: integers (floats quantised through <paramref name="floats"/>), float32 or float64 exactly.</summary>
    public SampleBuffer ToBuffer(StoredFormat stored, FloatConversion floats)
    {
        switch (stored.Encoding)
        {
            case SampleEncoding.Float32 when _samples is float[] or float[,]:
                return SampleBuffer.Of(Elements<float>(_samples).ToArray());
            case SampleEncoding.Float64 when _samples is double[] or double[,]:
                return SampleBuffer.Of(Elements<double>(_samples).ToArray());
            case SampleEncoding.Integer:
                var values = new int[_samples.Length];
                switch (_samples)
                {
                    case sbyte[] or sbyte[,]: Widen(Elements<sbyte>(_samples), values, v => v); break;
                    case byte[] or byte[,]: Widen(Elements<byte>(_samples), values, v => v - 128); break;
                    case short[] or short[,]: Widen(Elements<short>(_samples), values, v => v); break;
                    case int[] or int[,]: Elements<int>(_samples).CopyTo(values); break;
                    case float[] or float[,]: floats.Quantise(Elements<float>(_samples), values); break;
                    default:
                        var asFloat = new float[_samples.Length];
                        Widen(Elements<double>(_samples), asFloat, v => (float)v);
                        floats.Quantise(asFloat, values);
                        break;
                }
                return SampleBuffer.Of(values);
            default:
                throw new ArgumentException($"{ElementType} samples are not stored as {stored.Encoding}", nameof(stored));
        }
    }

    /// <summary>The elements of a 1-D or 2-D array in memory order ([frame, channel] is interleaved), without boxing each one.</summary>
    private static ReadOnlySpan<T> Elements<T>(Array array) where T : unmanaged =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    private static void Widen<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> target, Func<TFrom, TTo> convert)
    {
        for (var i = 0; i < source.Length; i++) target[i] = convert(source[i]);
    }

    /// <summary>One array per channel (a jagged array such as float[][]) as a [frame, channel] array of the same element type.</summary>
    private static Array FromChannels(Array[] channels)
    {
        if (channels.Length == 0 || channels.Any(c => c is null)) throw new InvalidSamplesException("The channel arrays are empty.");
        var type = channels[0].GetType();
        if (channels.Any(c => c.GetType() != type || c.Rank != 1))
            throw new InvalidSamplesException("Every channel array must be 1-D and of the same type.");
        var frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames))
            throw new InvalidSamplesException($"The channel arrays differ in length ({string.Join(", ", channels.Select(c => c.Length))}); every channel needs the same number of samples.");
        var result = Array.CreateInstance(type.GetElementType()!, frames, channels.Length);
        for (var c = 0; c < channels.Length; c++)
            for (var i = 0; i < frames; i++) result.SetValue(channels[c].GetValue(i), i, c);
        return result;
    }
}
