namespace ZarrAudio.Import;

/// <summary>
/// What quantising float samples to 24-bit integers had to change: NaN (stored as 0), ±Infinity and finite values
/// outside [-1, 1) (stored at full scale). Counted with the first frame of each, so the import can say how many
/// and where, and keep it in the technical metadata: never silent.
/// </summary>
public sealed class FloatConversion
{
    private readonly int _channels;
    private long _position; // interleaved samples seen so far

    public FloatConversion(int channels) => _channels = Math.Max(1, channels);

    public long NonFinite { get; private set; }
    public long Clipped { get; private set; }
    /// <summary>Frame (sample index per channel) of the first NaN or infinity.</summary>
    public long? FirstNonFiniteFrame { get; private set; }
    /// <summary>Frame of the first finite sample outside [-1, 1).</summary>
    public long? FirstClippedFrame { get; private set; }
    public bool Changed => NonFinite > 0 || Clipped > 0;

    /// <summary>Float → 24-bit integer with rounding; NaN becomes 0, everything else is clipped to full scale (and counted).</summary>
    public void Quantise(ReadOnlySpan<float> source, Span<int> target)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var f = source[i];
            var v = Math.Round(f * 8388608.0);
            if (!float.IsFinite(f))
            {
                NonFinite++;
                FirstNonFiniteFrame ??= (_position + i) / _channels;
                target[i] = float.IsNaN(f) ? 0 : f > 0 ? 8388607 : -8388608;
                continue;
            }
            if (v is < -8388608 or > 8388607)
            {
                // +1.0 itself is one step above 24-bit full scale; that step is not counted as clipping.
                if (f > 1f || f < -1f) { Clipped++; FirstClippedFrame ??= (_position + i) / _channels; }
                v = Math.Clamp(v, -8388608, 8388607);
            }
            target[i] = (int)v;
        }
        _position += source.Length;
    }
}
