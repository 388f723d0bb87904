using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        using var scratch = new ResampleScratch();
        var picked = recording.CheckRequest(start, count, channels);
        var outCount = RangeRequest.ToSample(count / (double)recording.SampleRate, outputRate);
        var result = new float[outCount, mono ? 1 : picked.Length];
        await ReadIntoAsync(recording, start, count, outputRate, picked, quality, mono, outCount, scratch, result, 0, ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Reads [start, start+count) resampled to <paramref name="outCount"/> frames at <paramref name="outputRate"/> into
    /// <paramref name="destination"/> (interleaved [frame, channel], from <paramref name="offset"/>), with the buffers and
    /// resampler of <paramref name="scratch"/>. <paramref name="destination"/> is a float[] or float[,].
    /// </summary>
    public static async ValueTask ReadIntoAsync(Recording recording, long start, long count, int outputRate, int[] channels, ResampleQuality quality,
        bool mono, long outCount, ResampleScratch scratch, Array destination, long offset, CancellationToken ct)
    {
        if (outputRate is < 1 or > MaxRate) throw new SampleRangeException($"A sample rate of {outputRate} Hz cannot be read: give 1 Hz to {MaxRate:N0} Hz.");
        var rate = recording.SampleRate;
        var n = recording.CheckRequest(start, count, channels).Length;
        // The margin on each side covers the filter (longest when decimating) and is a whole number of output samples.
        var g = Gcd(rate, outputRate);
        long step = rate / g, outStep = outputRate / g;
        var want = (long)Math.Ceiling(Math.Max(1.0, (double)rate / outputRate) * 300) + 300;
        var margin = (want + step - 1) / step * step;
        var skip = margin / step * outStep;
        var from = start - margin;
        var frames = count + 2 * margin;
        var input = scratch.InputOf(frames * n);
        var readFrom = Math.Max(0, from);
        var readTo = Math.Min(recording.SampleCount, start + count + margin);
        Array.Clear(input, 0, (int)((readFrom - from) * n));
        Array.Clear(input, (int)((readTo - from) * n), (int)((from + frames - readTo) * n));
        // Every stored type reads as float32 (float64 narrowed): libsoxr works in float32 here.
        if (readTo > readFrom)
            await recording.ReadIntoAsync(readFrom, readTo - readFrom, channels, SampleType.Float32, input, ct, (readFrom - from) * n).ConfigureAwait(false);
        Resample(scratch, frames, n, rate, outputRate, quality, mono, skip, outCount, destination, offset);
    }

    /// <summary>
    /// [start, start+count) of the channels as <paramref name="outFrames"/> frames at <paramref name="outputRate"/>,
    /// mixed to mono or not, into <paramref name="destination"/> from <paramref name="offset"/>: read as stored when
    /// the rate and length are the recording's, resampled otherwise. What a training example and a model's window read.
    /// A <paramref name="destinationPinned"/> array takes the samples straight from the decoder.
    /// </summary>
    public static async ValueTask ReadShapedAsync(Recording recording, long start, long count, int outputRate, int[] channels, ResampleQuality quality,
        bool mono, long outFrames, ResampleScratch scratch, float[] destination, long offset, CancellationToken ct, bool destinationPinned = false)
    {
        if (outputRate != recording.SampleRate || count != outFrames)
        {
            await ReadIntoAsync(recording, start, count, outputRate, channels, quality, mono, outFrames, scratch, destination, offset, ct).ConfigureAwait(false);
            return;
        }
        var n = channels.Length;
        var mix = mono && n > 1;
        if (!mix && destinationPinned)
        {
            await recording.ReadIntoAsync(start, count, channels, SampleType.Float32, destination, ct, offset).ConfigureAwait(false);
            return;
        }
        var read = scratch.InputOf(count * n);
        await recording.ReadIntoAsync(start, count, channels, SampleType.Float32, read, ct).ConfigureAwait(false);
        if (mix) ChannelMix.Mean(read, n, count, destination.AsSpan((int)offset));
        else Array.Copy(read, 0, destination, offset, count * n);
    }

    private static void Resample(ResampleScratch scratch, long frames, int n, int rate, int outputRate, ResampleQuality quality, bool mono,
        long skip, long outCount, Array destination, long offset)
    {
        var input = scratch.Input;
        if (mono && n > 1)
        {
            var mixed = scratch.MixedOf(frames);
            ChannelMix.Mean(input, n, frames, mixed);
            (input, n) = (mixed, 1);
        }
        var output = scratch.OutputOf(((long)Math.Ceiling(frames * (double)outputRate / rate) + 64) * n);
        var produced = Run(scratch.Resampler(rate, outputRate, n, quality), input, frames, n, output);
        if (produced < skip + outCount) throw new CodecException($"libsoxr gave {produced} samples where {skip + outCount} were due; nothing is returned.");
        if (destination.LongLength - offset < outCount * n) throw new ArgumentException("Destination is smaller than the resampled frames", nameof(destination));
        var target = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(destination)), (int)destination.LongLength);
        output.AsSpan((int)(skip * n), (int)(outCount * n)).CopyTo(target[(int)offset..]);
    }

    /// <summary>Resamples interleaved float frames, flushed: the output's first sample lies at the input's first. Returns the frames written.</summary>
    private static unsafe long Run(IntPtr soxr, float[] input, long frames, int channels, float[] output)
    {
        var capacity = output.LongLength / channels;
        long written = 0;
        fixed (float* inp = input)
        fixed (float* outp = output)
        {
            long consumed = 0;
            while (consumed < frames)
            {
                ResampleScratch.Check(LibSoxr.Process(soxr, inp + consumed * channels, (nuint)(frames - consumed), out var used, outp + written * channels, (nuint)(capacity - written), out var done));
                consumed += (long)used;
                written += (long)done;
                if (used == 0 && done == 0) break;
            }
            // Flush: the filter's tail, until libsoxr has nothing more.
            while (written < capacity)
            {
                ResampleScratch.Check(LibSoxr.Process(soxr, null, 0, out _, outp + written * channels, (nuint)(capacity - written), out var done));
                if (done == 0) break;
                written += (long)done;
            }
        }
        return written;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
