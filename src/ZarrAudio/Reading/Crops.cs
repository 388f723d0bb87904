namespace ZarrAudio.Reading;

/// <summary>Where a fixed-length crop sits in a segment: at its start, its centre, or drawn at random (seeded).</summary>
public enum CropMode { Start, Center, Random }

/// <summary>How a segment shorter than the crop is filled out: with zeros, or by reflecting it at its ends.</summary>
public enum PadMode { Zero, Reflect }

/// <summary>A crop: the samples to read, and how many to pad before and after them (when the segment is short).</summary>
public readonly record struct CropPlan(long Start, long Count, long PadBefore, long PadAfter);

/// <summary>
/// Fixed-length crops of segments, so segments of different lengths become equal-length training examples. A random
/// crop (or a short segment's random place in the crop) is drawn from (seed, row) alone (<see cref="SplitMix64.Hash"/>):
/// the same on any machine and thread count.
/// </summary>
public static class Crops
{
    public static CropPlan Plan(long start, long count, long length, CropMode mode, long seed, long row)
    {
        if (length < 1) throw new SampleRangeException($"A crop of {length} samples is empty: give a length of at least one sample.");
        var spare = Math.Abs(count - length);
        var offset = mode switch
        {
            CropMode.Start => 0,
            CropMode.Center => spare / 2,
            _ => (long)(SplitMix64.Hash(seed, row) % (ulong)(spare + 1)),
        };
        return count >= length
            ? new CropPlan(start + offset, length, 0, 0)
            : new CropPlan(start, count, offset, length - count - offset);
    }

    /// <summary>
    /// Pads in place: <paramref name="frames"/> holds <paramref name="inner"/> frames of <paramref name="channels"/> at
    /// frame <paramref name="before"/>; the frames before and after them are filled with zeros or by reflection.
    /// </summary>
    public static void PadInPlace(Span<float> frames, int channels, int before, int inner, PadMode mode)
    {
        var total = frames.Length / channels;
        for (var i = 0; i < total; i++)
        {
            if (i >= before && i < before + inner) continue;
            var source = Reflect(i - before, inner, mode);
            for (var c = 0; c < channels; c++) frames[i * channels + c] = source < 0 ? 0 : frames[(before + (int)source) * channels + c];
        }
    }

    /// <summary>Where frame <paramref name="i"/> (relative to the segment's first) comes from; −1 for a zero.</summary>
    private static long Reflect(long i, long n, PadMode mode)
    {
        if (mode == PadMode.Reflect && n > 1)
        {
            // Reflection without repeating the edge sample (numpy's "reflect"), folded as often as the pad needs.
            var period = 2 * (n - 1);
            var k = ((i % period) + period) % period;
            i = k < n ? k : period - k;
        }
        return i < 0 || i >= n ? -1 : i;
    }

    /// <summary>The frames [frame, channel] padded with <paramref name="before"/> and <paramref name="after"/> frames of zeros or reflection.</summary>
    public static T[,] Pad<T>(T[,] frames, long before, long after, PadMode mode) where T : unmanaged
    {
        var (n, channels) = (frames.GetLength(0), frames.GetLength(1));
        var result = new T[checked(n + before + after), channels];
        for (var i = 0; i < result.GetLength(0); i++)
        {
            var source = Reflect(i - before, n, mode);
            if (source < 0) continue;
            for (var c = 0; c < channels; c++) result[i, c] = frames[source, c];
        }
        return result;
    }
}
