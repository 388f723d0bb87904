using System.Numerics;

namespace ZarrAudio.Reading;

/// <summary>
/// Where decoded samples go: an interleaved [frame, channel] buffer of Int16, Int32, Float32 or Float64, given as a
/// pointer so arrays, spans and 2-D arrays all work without copies. A codec hands it decoded samples one column at a
/// time (planar channel buffers from FLAC, strided columns of an interleaved PCM chunk); the target picks the wanted
/// channels and converts.
/// </summary>
public abstract unsafe class SampleTarget
{
    protected SampleTarget(long capacity, int outputChannels, int[] sourceChannels, int outputChannelOffset)
    {
        Capacity = capacity;
        OutputChannels = outputChannels;
        SourceChannels = sourceChannels;
        OutputChannelOffset = outputChannelOffset;
    }

    /// <summary>Elements the buffer holds; writes beyond it are refused.</summary>
    public long Capacity { get; }
    public int OutputChannels { get; }
    /// <summary>For each output channel this target fills, the channel of the decoded stream it comes from.</summary>
    public int[] SourceChannels { get; }
    public int OutputChannelOffset { get; }

    /// <summary>Planar input: one buffer per decoded channel (FLAC's output).</summary>
    public void Write(int** planar, int sourceOffset, long outputFrame, int count)
    {
        CheckRoom(outputFrame, count);
        for (var c = 0; c < SourceChannels.Length; c++)
            WriteColumn(planar[SourceChannels[c]] + sourceOffset, 1, At(outputFrame, c), count);
    }

    /// <summary>Interleaved input of <paramref name="sourceWidth"/> channels per frame (a PCM chunk's layout).</summary>
    public void WriteInterleaved<T>(T* interleaved, int sourceWidth, long outputFrame, int count) where T : unmanaged, INumberBase<T>
    {
        CheckRoom(outputFrame, count);
        for (var c = 0; c < SourceChannels.Length; c++)
            WriteColumn(interleaved + SourceChannels[c], sourceWidth, At(outputFrame, c), count);
    }

    private void CheckRoom(long outputFrame, int count)
    {
        if ((outputFrame + count) * OutputChannels > Capacity) throw new InvalidOperationException("Decoded samples overflow the output buffer");
    }

    private long At(long outputFrame, int c) => outputFrame * OutputChannels + OutputChannelOffset + c;

    /// <summary>Writes <paramref name="count"/> samples taken every <paramref name="stride"/> elements, to every OutputChannels-th place from <paramref name="at"/>.</summary>
    protected abstract void WriteColumn<T>(T* source, int stride, long at, int count) where T : unmanaged, INumberBase<T>;

    /// <param name="scale">For float outputs: the factor from stored values to ±1.0 full scale (1 for float storage).</param>
    /// <param name="sourceChannels">For each output channel this target fills, its channel in the decoded stream.</param>
    /// <param name="outputChannelOffset">The output position of the first of them.</param>
    public static SampleTarget Create(SampleType type, void* buffer, long capacity, int outputChannels, double scale, int[] sourceChannels,
        int outputChannelOffset) => type switch
    {
        SampleType.Int16 => new Int16Target((short*)buffer, capacity, outputChannels, sourceChannels, outputChannelOffset),
        SampleType.Int32 => new Int32Target((int*)buffer, capacity, outputChannels, sourceChannels, outputChannelOffset),
        SampleType.Float32 => new Float32Target((float*)buffer, capacity, outputChannels, sourceChannels, (float)scale, outputChannelOffset),
        _ => new Float64Target((double*)buffer, capacity, outputChannels, sourceChannels, scale, outputChannelOffset),
    };

    /// <summary>The float scale for integers of <paramref name="bitsPerSample"/> bits: full scale becomes ±1.0.</summary>
    public static double IntegerScale(int bitsPerSample) => 1.0 / (1L << (bitsPerSample - 1));
}

public enum SampleType { Int16, Int32, Float32, Float64 }

// Each target converts with a loop per source type: typeof(T) tests fold away in the JIT's specialised code, where
// T.CreateTruncating through INumberBase measured 4 ns a sample (a 100 ms stereo read spent 38 µs converting).
internal sealed unsafe class Int16Target(short* buffer, long capacity, int outputChannels, int[] sourceChannels, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    protected override void WriteColumn<T>(T* source, int stride, long at, int count)
    {
        var o = buffer + at;
        var step = OutputChannels;
        if (typeof(T) == typeof(int)) { var s = (int*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = (short)*s; }
        else if (typeof(T) == typeof(short)) { var s = (short*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s; }
        else for (var i = 0; i < count; i++, o += step) *o = short.CreateTruncating(source[(long)i * stride]);
    }
}

internal sealed unsafe class Int32Target(int* buffer, long capacity, int outputChannels, int[] sourceChannels, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    protected override void WriteColumn<T>(T* source, int stride, long at, int count)
    {
        var o = buffer + at;
        var step = OutputChannels;
        if (typeof(T) == typeof(int)) { var s = (int*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s; }
        else if (typeof(T) == typeof(short)) { var s = (short*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s; }
        else for (var i = 0; i < count; i++, o += step) *o = int.CreateTruncating(source[(long)i * stride]);
    }
}

/// <summary>Float output: integers scaled so full scale is ±1.0; stored floats copied as they are (scale 1), bit for bit.</summary>
internal sealed unsafe class Float32Target(float* buffer, long capacity, int outputChannels, int[] sourceChannels, float scale, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    protected override void WriteColumn<T>(T* source, int stride, long at, int count)
    {
        var o = buffer + at;
        var step = OutputChannels;
        if (typeof(T) == typeof(int)) { var s = (int*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s * scale; }
        else if (typeof(T) == typeof(short)) { var s = (short*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s * scale; }
        else if (typeof(T) == typeof(float)) { var s = (float*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s; }
        else if (typeof(T) == typeof(double)) { var s = (double*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = (float)*s; }
        else for (var i = 0; i < count; i++, o += step) *o = float.CreateTruncating(source[(long)i * stride]) * scale;
    }
}

internal sealed unsafe class Float64Target(double* buffer, long capacity, int outputChannels, int[] sourceChannels, double scale, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    protected override void WriteColumn<T>(T* source, int stride, long at, int count)
    {
        var o = buffer + at;
        var step = OutputChannels;
        if (typeof(T) == typeof(int)) { var s = (int*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s * scale; }
        else if (typeof(T) == typeof(short)) { var s = (short*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s * scale; }
        else if (typeof(T) == typeof(float)) { var s = (float*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s; }
        else if (typeof(T) == typeof(double)) { var s = (double*)source; for (var i = 0; i < count; i++, s += stride, o += step) *o = *s; }
        else for (var i = 0; i < count; i++, o += step) *o = double.CreateTruncating(source[(long)i * stride]) * scale;
    }
}
