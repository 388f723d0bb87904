using System.Collections;
using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Turns what PowerShell users have into typed sample arrays for the engine: @(1, 2, 3) and 1..100 (object[] of
/// integers) become int[] (16-bit when every value fits, else 24 or 32), numbers with fractions double[] (float
/// samples), and a list of per-channel arrays ([float[][]], or @($left, $right)) one typed array per channel.
/// </summary>
internal static class PlainSamples
{
    public static Array From(Array samples)
    {
        if (samples is not object[] items) return samples;
        var values = items.Select(v => v is PSObject p ? p.BaseObject : v).ToArray();
        if (values.Length > 0 && values.All(v => v is IList))
            return values.Select(v => v is Array a && a is not object[] ? a : From(((IList)v!).Cast<object?>().ToArray())).ToArray<Array>();
        if (values.Any(v => v is null || v is string || v is not IConvertible))
            throw new InvalidSamplesException("-Samples holds something that is not a number; give numbers, or one array of numbers per channel.");
        if (values.All(v => v is sbyte or byte or short or ushort or int or uint or long or ulong))
        {
            var longs = values.Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var (min, max) = longs.Length == 0 ? (0L, 0L) : (longs.Min(), longs.Max());
            if (min >= short.MinValue && max <= short.MaxValue) return longs.Select(l => (short)l).ToArray();
            if (min >= int.MinValue && max <= int.MaxValue) return longs.Select(l => (int)l).ToArray();
            throw new InvalidSamplesException($"Sample values from {min} to {max} do not fit in 32 bits.");
        }
        return values.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
