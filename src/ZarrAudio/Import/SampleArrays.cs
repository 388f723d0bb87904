namespace ZarrAudio.Import;

/// <summary>Turns sample arrays given by a caller into interleaved int32 frames for the encoder.</summary>
internal static class SampleArrays
{
    /// <returns>For float samples, what quantising them had to change; null for integer samples.</returns>
    public static (int[] Interleaved, int Channels, int Bits, FloatConversion? Floats) ToInterleaved(Array samples, int? bitsPerSample)
    {
        if (samples is Array[] jagged) samples = FromChannels(jagged);
        if (samples.Rank is not (1 or 2)) throw new UnsupportedSourceException("Samples must be a 1-D (mono) or 2-D [frame, channel] array, or one array per channel.");
        var channels = samples.Rank == 1 ? 1 : samples.GetLength(1);
        if (channels < 1 || samples.Length == 0) throw new UnsupportedSourceException("The sample array is empty.");
        var values = new int[samples.Length];
        int bits;
        FloatConversion? floats = null;
        var i = 0;
        switch (samples)
        {
            case sbyte[] or sbyte[,]: bits = 8; foreach (sbyte v in samples) values[i++] = v; break;
            case byte[] or byte[,]: bits = 8; foreach (byte v in samples) values[i++] = v - 128; break;
            case short[] or short[,]: bits = 16; foreach (short v in samples) values[i++] = v; break;
            case int[] or int[,]:
                bits = bitsPerSample ?? 32;
                if (bits is < 4 or > 32) throw new UnsupportedSourceException($"{bits} bits per sample is outside FLAC's 4 to 32.");
                long min = -(1L << (bits - 1)), max = (1L << (bits - 1)) - 1;
                foreach (int v in samples)
                {
                    if (v < min || v > max) throw new UnsupportedSourceException($"Sample {v} does not fit in {bits} bits.");
                    values[i++] = v;
                }
                break;
            case float[] or float[,]:
                bits = 24; floats = new FloatConversion(channels);
                var floatValues = new float[samples.Length];
                foreach (float v in samples) floatValues[i++] = v;
                floats.Quantise(floatValues, values);
                break;
            case double[] or double[,]:
                bits = 24; floats = new FloatConversion(channels);
                var asFloat = new float[samples.Length];
                foreach (double v in samples) asFloat[i++] = (float)v;
                floats.Quantise(asFloat, values);
                break;
            default:
                throw new UnsupportedSourceException($"Samples of type {samples.GetType().GetElementType()?.Name} are not supported: use sbyte, byte, short, int, float or double.");
        }
        return (values, channels, bits, floats);
    }

    /// <summary>One array per channel (a jagged array such as float[][]) as a [frame, channel] array of the same element type.</summary>
    private static Array FromChannels(Array[] channels)
    {
        if (channels.Length == 0 || channels.Any(c => c is null)) throw new UnsupportedSourceException("The channel arrays are empty.");
        var type = channels[0].GetType();
        if (channels.Any(c => c.GetType() != type || c.Rank != 1))
            throw new UnsupportedSourceException("Every channel array must be 1-D and of the same type.");
        var frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames))
            throw new UnsupportedSourceException($"The channel arrays differ in length ({string.Join(", ", channels.Select(c => c.Length))}); every channel needs the same number of samples.");
        var result = Array.CreateInstance(type.GetElementType()!, frames, channels.Length);
        for (var c = 0; c < channels.Length; c++)
            for (var i = 0; i < frames; i++) result.SetValue(channels[c].GetValue(i), i, c);
        return result;
    }
}
