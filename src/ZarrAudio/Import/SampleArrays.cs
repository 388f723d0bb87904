namespace ZarrAudio.Import;

/// <summary>Turns sample arrays given by a caller into interleaved int32 frames for the encoder.</summary>
internal static class SampleArrays
{
    public static (int[] Interleaved, int Channels, int Bits, bool IsFloat) ToInterleaved(Array samples, int? bitsPerSample, FloatConversion? floats = null)
    {
        if (samples.Rank is not (1 or 2)) throw new UnsupportedSourceException("Samples must be a 1-D (mono) or 2-D [frame, channel] array.");
        var channels = samples.Rank == 1 ? 1 : samples.GetLength(1);
        floats ??= new FloatConversion(channels);
        if (channels < 1 || samples.Length == 0) throw new UnsupportedSourceException("The sample array is empty.");
        var values = new int[samples.Length];
        int bits;
        var isFloat = false;
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
                bits = 24; isFloat = true;
                var floatValues = new float[samples.Length];
                foreach (float v in samples) floatValues[i++] = v;
                floats.Quantise(floatValues, values);
                break;
            case double[] or double[,]:
                bits = 24; isFloat = true;
                var asFloat = new float[samples.Length];
                foreach (double v in samples) asFloat[i++] = (float)v;
                floats.Quantise(asFloat, values);
                break;
            default:
                throw new UnsupportedSourceException($"Samples of type {samples.GetType().GetElementType()?.Name} are not supported: use sbyte, byte, short, int, float or double.");
        }
        return (values, channels, bits, isFloat);
    }
}
