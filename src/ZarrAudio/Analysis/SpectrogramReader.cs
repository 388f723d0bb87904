using ZarrAudio.Archive;

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
        var n = picked.Length;
        float[] mono;
        if (n == 1)
        {
            mono = new float[count];
            Buffer.BlockCopy(samples, 0, mono, 0, (int)count * sizeof(float));
        }
        else
        {
            mono = new float[count];
            for (var i = 0; i < count; i++)
            {
                var sum = 0.0;
                for (var c = 0; c < n; c++) sum += samples[i, c];
                mono[i] = (float)(sum / n);
            }
        }
        var spectrogram = SpectrogramComputer.Compute(mono, recording.SampleRate, options, ct);
        return spectrogram with { Id = recording.Id, Start = start, Count = count, Channels = picked };
    }
}
