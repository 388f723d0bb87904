namespace ZarrAudio.Analysis;

/// <summary>
/// Mel bands: triangular filters equally spaced on the HTK mel scale, m = 2595·log10(1 + f/700), between the band's
/// edges (default 0 Hz to Nyquist), each peaking at 1 on its centre and reaching 0 on its neighbours' centres (no area
/// normalisation); a band's value is the weighted sum of the linear power of the FFT bins under it.
/// </summary>
internal static class MelBank
{
    public static double ToMel(double hertz) => 2595 * Math.Log10(1 + hertz / 700);
    public static double ToHertz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    public static (float[] Values, double[] Centres) Apply(float[] power, double[] frequencies, int frames, int sampleRate, SpectrogramOptions options)
    {
        var (low, high) = options.FrequencyRange ?? (0, sampleRate / 2.0);
        high = Math.Min(high, sampleRate / 2.0);
        var bands = options.MelBands;
        var edges = new double[bands + 2];
        for (var i = 0; i < edges.Length; i++) edges[i] = ToHertz(ToMel(low) + (ToMel(high) - ToMel(low)) * i / (bands + 1));
        var values = new float[(long)bands * frames];
        var column = new double[frames];
        for (var m = 0; m < bands; m++)
        {
            Array.Clear(column);
            var (left, centre, right) = (edges[m], edges[m + 1], edges[m + 2]);
            for (var k = 0; k < frequencies.Length; k++)
            {
                var f = frequencies[k];
                var weight = f <= left || f >= right ? 0 : f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                if (weight <= 0) continue;
                var row = (long)k * frames;
                for (var t = 0; t < frames; t++) column[t] += weight * power[row + t];
            }
            for (var t = 0; t < frames; t++) values[(long)m * frames + t] = (float)column[t];
        }
        return (values, edges[1..^1]);
    }
}
