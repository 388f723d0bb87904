using ZarrAudio.Archive;

namespace ZarrAudio.Reading.Resampling;

/// <summary>libsoxr's quality recipes (soxr.h: SOXR_QQ, LQ, MQ, HQ = 20-bit, VHQ = 28-bit).</summary>
public enum ResampleQuality { Quick = 0, Low = 1, Medium = 2, High = 4, VeryHigh = 6 }

/// <summary>
/// Reads a range of a recording at another sample rate through libsoxr, the field's reference resampler (librosa's and
/// OpenSoundscape's soxr_hq). Aligned to the range: output sample k lies at source time start/rate + k/outputRate, and
/// the filter's history comes from the samples before and after the range (zeros beyond the recording's ends, as a
/// resampling of the whole recording has), so a short read equals the same span of a long one read on the same grid.
/// The output length is round(count × outputRate / rate), by the rule every range follows (<see cref="RangeRequest.ToSample"/>).
/// </summary>
public static class SampleResampler
{
    /// <summary>Rates accepted for output: 1 Hz to 10 MHz.</summary>
    public const int MaxRate = 10_000_000;

    /// <param name="mono">Mix the channels to their mean before resampling (the same as after, for a linear filter, at a fraction of the cost).</param>
    public static async Task<float[,]> ReadAsync(Recording recording, long start, long count, int outputRate, int[]? channels, ResampleQuality quality, CancellationToken ct, bool mono = false)
    {
        if (outputRate is < 1 or > MaxRate) throw new SampleRangeException($"A sample rate of {outputRate} Hz cannot be read: give 1 Hz to {MaxRate:N0} Hz.");
        var rate = recording.SampleRate;
        var picked = recording.CheckRequest(start, count, channels);
        var n = picked.Length;
        var outCount = RangeRequest.ToSample(count / (double)rate, outputRate);
        // The margin on each side covers the filter (longest when decimating) and is a whole number of output samples.
        var g = Gcd(rate, outputRate);
        long step = rate / g, outStep = outputRate / g;
        var want = (long)Math.Ceiling(Math.Max(1.0, (double)rate / outputRate) * 300) + 300;
        var margin = (want + step - 1) / step * step;
        var skip = margin / step * outStep;
        var from = start - margin;
        var frames = count + 2 * margin;
        var input = new float[checked(frames * n)];
        var readFrom = Math.Max(0, from);
        var readTo = Math.Min(recording.SampleCount, start + count + margin);
        if (readTo > readFrom)
        {
            var block = await recording.ReadAsync(readFrom, readTo - readFrom, picked, asFloat: true, ct).ConfigureAwait(false);
            var at = (readFrom - from) * n;
            switch (block.Samples)
            {
                case float[,] f: Buffer.BlockCopy(f, 0, input, (int)(at * sizeof(float)), f.Length * sizeof(float)); break;
                case double[,] d:
                    var i = at;
                    foreach (var v in d) input[i++] = (float)v;
                    break;
                default: throw new InvalidOperationException($"Unexpected float read {block.Samples.GetType().Name}");
            }
        }
        if (mono && n > 1)
        {
            var mixed = new float[frames];
            for (long i = 0; i < frames; i++)
            {
                var sum = 0.0;
                for (var c = 0; c < n; c++) sum += input[i * n + c];
                mixed[i] = (float)(sum / n);
            }
            (input, n) = (mixed, 1);
        }
        var output = Run(input, frames, n, rate, outputRate, quality);
        var produced = output.Length / n;
        if (produced < skip + outCount) throw new CodecException($"libsoxr gave {produced} samples where {skip + outCount} were due; nothing is returned.");
        var result = new float[outCount, n];
        Buffer.BlockCopy(output, (int)(skip * n * sizeof(float)), result, 0, (int)(outCount * n * sizeof(float)));
        return result;
    }

    /// <summary>Resamples interleaved float frames, flushed: the output's first sample lies at the input's first.</summary>
    private static unsafe float[] Run(float[] input, long frames, int channels, int rate, int outputRate, ResampleQuality quality)
    {
        Native.NativeLibraryResolver.EnsureLoaded(Native.NativeLibraryResolver.Soxr);
        var io = LibSoxr.IoSpecFor(LibSoxr.Float32Interleaved, LibSoxr.Float32Interleaved);
        var spec = LibSoxr.QualitySpecFor((nuint)quality, 0);
        var soxr = LibSoxr.Create(rate, outputRate, (uint)channels, out var error, io, spec, IntPtr.Zero);
        if (soxr == IntPtr.Zero) throw new CodecException($"libsoxr could not resample {rate} Hz to {outputRate} Hz: {LibSoxr.Error(error)}.");
        try
        {
            var capacity = (long)Math.Ceiling(frames * (double)outputRate / rate) + 64;
            var output = new float[checked(capacity * channels)];
            long written = 0;
            fixed (float* inp = input)
            fixed (float* outp = output)
            {
                long consumed = 0;
                while (consumed < frames)
                {
                    Check(LibSoxr.Process(soxr, inp + consumed * channels, (nuint)(frames - consumed), out var used, outp + written * channels, (nuint)(capacity - written), out var done));
                    consumed += (long)used;
                    written += (long)done;
                    if (used == 0 && done == 0) break;
                }
                // Flush: the filter's tail, until libsoxr has nothing more.
                while (written < capacity)
                {
                    Check(LibSoxr.Process(soxr, null, 0, out _, outp + written * channels, (nuint)(capacity - written), out var done));
                    if (done == 0) break;
                    written += (long)done;
                }
            }
            return written * channels == output.Length ? output : output[..(int)(written * channels)];
        }
        finally { LibSoxr.Delete(soxr); }
    }

    private static void Check(IntPtr error)
    {
        if (LibSoxr.Error(error) is { } text) throw new CodecException($"libsoxr failed: {text}.");
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
