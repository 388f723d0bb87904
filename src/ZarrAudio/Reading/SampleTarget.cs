namespace ZarrAudio.Reading;

/// <summary>
/// Where decoded samples go: an interleaved [frame, channel] buffer of Int16, Int32 or normalised Float32,
/// given as a pointer so arrays, spans and 2-D arrays all work without copies. A decoder hands it one
/// frame's planar channel buffers at a time; the target picks the wanted channels and converts.
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

    public void Write(int** planar, int sourceOffset, long outputFrame, int count)
    {
        if ((outputFrame + count) * OutputChannels > Capacity) throw new InvalidOperationException("Decoded samples overflow the output buffer");
        for (var c = 0; c < SourceChannels.Length; c++)
            WriteChannel(planar[SourceChannels[c]] + sourceOffset, outputFrame * OutputChannels + OutputChannelOffset + c, count);
    }

    protected abstract void WriteChannel(int* source, long at, int count);

    /// <param name="sourceChannels">For each output channel this target fills, its channel in the decoded stream.</param>
    /// <param name="outputChannelOffset">The output position of the first of them.</param>
    public static SampleTarget Create(SampleType type, void* buffer, long capacity, int outputChannels, int bitsPerSample, int[] sourceChannels,
        int outputChannelOffset) => type switch
    {
        SampleType.Int16 => new Int16Target((short*)buffer, capacity, outputChannels, sourceChannels, outputChannelOffset),
        SampleType.Int32 => new Int32Target((int*)buffer, capacity, outputChannels, sourceChannels, outputChannelOffset),
        _ => new Float32Target((float*)buffer, capacity, outputChannels, sourceChannels, bitsPerSample, outputChannelOffset),
    };
}

public enum SampleType { Int16, Int32, Float32 }

internal sealed unsafe class Int16Target(short* buffer, long capacity, int outputChannels, int[] sourceChannels, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    protected override void WriteChannel(int* source, long at, int count)
    {
        for (var i = 0; i < count; i++, at += OutputChannels) buffer[at] = (short)source[i];
    }
}

internal sealed unsafe class Int32Target(int* buffer, long capacity, int outputChannels, int[] sourceChannels, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    protected override void WriteChannel(int* source, long at, int count)
    {
        for (var i = 0; i < count; i++, at += OutputChannels) buffer[at] = source[i];
    }
}

/// <summary>Float output scaled so that full scale of the stored bit depth is ±1.0.</summary>
internal sealed unsafe class Float32Target(float* buffer, long capacity, int outputChannels, int[] sourceChannels, int bitsPerSample, int outputChannelOffset)
    : SampleTarget(capacity, outputChannels, sourceChannels, outputChannelOffset)
{
    private readonly float _scale = 1f / (1L << (bitsPerSample - 1));

    protected override void WriteChannel(int* source, long at, int count)
    {
        for (var i = 0; i < count; i++, at += OutputChannels) buffer[at] = source[i] * _scale;
    }
}
