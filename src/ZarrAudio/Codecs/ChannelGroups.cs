namespace ZarrAudio.Codecs;

/// <summary>
/// For codecs that store a recording as several streams of a few channels (FLAC: up to 8; AAC: 1 or 2): the
/// interleaved samples of one group of adjacent channels, taken out of all channels' interleaved samples.
/// </summary>
internal static class ChannelGroups
{
    /// <summary>Copies channels [first, first+width) of every frame of <paramref name="interleaved"/> into <paramref name="group"/>.</summary>
    public static void Gather<T>(ReadOnlySpan<T> interleaved, int channels, int first, int width, Span<T> group)
    {
        var frames = interleaved.Length / channels;
        for (var f = 0; f < frames; f++)
            interleaved.Slice(f * channels + first, width).CopyTo(group.Slice(f * width, width));
    }

    /// <summary>
    /// A stored recording's streams must hold each of its channels once, in order: a channel left out would read as
    /// silence (a damaged or hostile archive), which is never returned as samples.
    /// </summary>
    public static void CheckCovered(IEnumerable<int[]> streamChannels, int channels, string recordingPath, string codec)
    {
        var held = streamChannels.SelectMany(c => c).ToArray();
        if (!held.SequenceEqual(Enumerable.Range(0, channels)))
            throw new CorruptRecordingException($"{recordingPath}: its {codec} streams hold channels [{string.Join(", ", held)}], not the {channels} channels its technical metadata describes.");
    }
}
