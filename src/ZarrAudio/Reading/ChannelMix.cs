namespace ZarrAudio.Reading;

/// <summary>One channel from several: the mean of interleaved [frame, channel] samples, summed in double.</summary>
public static class ChannelMix
{
    /// <summary>Writes <paramref name="frames"/> means of <paramref name="channels"/> interleaved samples into <paramref name="into"/>.</summary>
    public static void Mean(ReadOnlySpan<float> interleaved, int channels, long frames, Span<float> into)
    {
        if (channels == 1)
        {
            interleaved[..(int)frames].CopyTo(into);
            return;
        }
        for (var i = 0; i < frames; i++)
        {
            var sum = 0.0;
            var frame = interleaved.Slice(i * channels, channels);
            foreach (var v in frame) sum += v;
            into[i] = (float)(sum / channels);
        }
    }
}
