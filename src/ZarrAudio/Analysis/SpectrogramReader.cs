using ZarrAudio.Archive;
using ZarrAudio.Reading;

namespace ZarrAudio.Analysis;

/// <summary>A spectrogram of a range of a recording: the chosen channels read as float and mixed to their mean, then computed.</summary>
public static class SpectrogramReader
{
    /// <summary>The most samples one spectrogram reads: one hour at 48 kHz (a longer view draws from a range).</summary>
    public const long MaxSamples = 48000L * 3600;

    public static async Task<Spectrogram> ReadAsync(Recording recording, long start, long count, int[]? channels, SpectrogramOptions options, CancellationToken ct = default)
    {
        options.Validate(recording.SampleRate);
        if (count > MaxSamples)
            throw new InvalidSpectrogramOptionException("Duration", $"{count:N0} samples are more than one spectrogram reads ({MaxSamples:N0}): give a shorter range.");
        var picked = recording.CheckRequest(start, count, channels);
        var block = await recording.ReadAsync(start, count, picked, asFloat: true, ct).ConfigureAwait(false);
        var samples = (float[,])block.Samples;
        var mono = new float[count];
        ChannelMix.Mean(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref samples[0, 0], samples.Length), picked.Length, count, mono);
        var spectrogram = SpectrogramComputer.Compute(mono, recording.SampleRate, options, ct);
        return spectrogram with { Id = recording.Id, Start = start, Count = count, Channels = picked };
    }
}
