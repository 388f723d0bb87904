using System.Numerics;
using System.Runtime.InteropServices;

namespace ZarrAudio.Analysis;

/// <summary>
/// Computes spectrograms as scipy.signal.spectrogram does (mode 'psd'): segments of WindowLength samples every Hop,
/// each mean removed (Detrend), multiplied by a periodic Hann window, transformed, |X|² scaled (spectrum: 1/Σw²…
/// see <see cref="Scale"/>) and doubled on one side except at 0 Hz and Nyquist. Columns are computed on all cores in
/// blocks and written to the [frequency, time] output a block at a time.
/// </summary>
public static class SpectrogramComputer
{
    private const int Block = 64;

    public static Spectrogram Compute(ReadOnlySpan<float> signal, int sampleRate, SpectrogramOptions options, CancellationToken ct = default) =>
        Compute(signal.ToArray(), sampleRate, options, ct);

    public static Spectrogram Compute(float[] signal, int sampleRate, SpectrogramOptions options, CancellationToken ct = default)
    {
        options.Validate(sampleRate);
        var (n, hop) = (options.WindowLength, options.Hop);
        if (signal.Length < n)
            throw new InvalidSpectrogramOptionException("WindowLength", $"a window of {n} samples is longer than the {signal.Length} samples given: give a shorter window or a longer range.");
        var frames = (signal.Length - (n - hop)) / hop;
        var bins = n / 2 + 1;
        var window = Hann(n).Select(w => (float)w).ToArray();
        var scale = (float)Scale(window, sampleRate, options.Scaling);
        var power = GC.AllocateUninitializedArray<float>(checked(bins * frames));
        var blocks = (frames + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, () => (new RealFft(n), new float[Block * bins]), (b, _, state) =>
        {
            var (fft, columns) = state;
            var first = b * Block;
            var count = Math.Min(Block, frames - first);
            for (var j = 0; j < count; j++)
            {
                var segment = signal.AsSpan((first + j) * hop, n);
                Windowed(segment, options.Detrend ? Mean(segment) : 0f, window, fft.Input);
                var spectrum = fft.Execute();
                var column = columns.AsSpan(j * bins, bins);
                for (var k = 0; k < bins; k++)
                {
                    var (re, im) = (spectrum[2 * k], spectrum[2 * k + 1]);
                    column[k] = (re * re + im * im) * scale;
                }
                // One side holds the power of both: every bin but 0 Hz and Nyquist counts twice.
                for (var k = 1; k < (n % 2 == 0 ? bins - 1 : bins); k++) column[k] *= 2;
            }
            for (var k = 0; k < bins; k++)
            {
                var row = power.AsSpan(k * frames + first, count);
                for (var j = 0; j < count; j++) row[j] = columns[j * bins + k];
            }
            return state;
        }, state => state.Item1.Dispose());
        var times = new double[frames];
        for (var t = 0; t < frames; t++) times[t] = (n / 2.0 + (double)t * hop) / sampleRate;
        var frequencies = new double[bins];
        for (var k = 0; k < bins; k++) frequencies[k] = k * (double)sampleRate / n;
        var (values, rows) = options.MelBands > 0
            ? MelBank.Apply(power, frequencies, frames, sampleRate, options)
            : Band(power, frequencies, frames, options.FrequencyRange);
        if (options.Unit == SpectrogramUnit.Decibels)
            for (var i = 0; i < values.Length; i++) values[i] = (float)(10 * Math.Log10(Math.Max(values[i], 1e-20)));
        return new Spectrogram { Values = values, Frequencies = rows, Times = times, SampleRate = sampleRate, Options = options, Count = signal.Length };
    }

    /// <summary>The segment's mean (accumulated in double, eight lanes at a time).</summary>
    private static float Mean(ReadOnlySpan<float> segment)
    {
        var lanes = MemoryMarshal.Cast<float, Vector<float>>(segment);
        var sum = Vector<float>.Zero;
        foreach (var v in lanes) sum += v;
        double total = Vector.Sum(sum);
        for (var i = lanes.Length * Vector<float>.Count; i < segment.Length; i++) total += segment[i];
        return (float)(total / segment.Length);
    }

    /// <summary>(segment − mean) · window into the FFT's input.</summary>
    private static void Windowed(ReadOnlySpan<float> segment, float mean, float[] window, Span<float> into)
    {
        var s = MemoryMarshal.Cast<float, Vector<float>>(segment);
        var w = MemoryMarshal.Cast<float, Vector<float>>(window.AsSpan());
        var o = MemoryMarshal.Cast<float, Vector<float>>(into);
        var m = new Vector<float>(mean);
        for (var i = 0; i < s.Length; i++) o[i] = (s[i] - m) * w[i];
        for (var i = s.Length * Vector<float>.Count; i < segment.Length; i++) into[i] = (segment[i] - mean) * window[i];
    }

    /// <summary>The periodic Hann window (scipy.signal.get_window('hann', n), for spectral analysis).</summary>
    public static double[] Hann(int n)
    {
        var w = new double[n];
        for (var i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
        return w;
    }

    /// <summary>scipy's scaling: density 1/(fs·Σw²) (power per hertz), spectrum 1/(Σw)² (a sine's bin holds its power).</summary>
    private static double Scale(float[] window, int sampleRate, SpectrogramScaling scaling) => scaling == SpectrogramScaling.Density
        ? 1.0 / (sampleRate * window.Sum(w => (double)w * w))
        : 1.0 / Math.Pow(window.Sum(w => (double)w), 2);

    /// <summary>Only the rows inside the band.</summary>
    private static (float[] Values, double[] Rows) Band(float[] power, double[] frequencies, int frames, (double Low, double High)? range)
    {
        if (range is not { } r) return (power, frequencies);
        var first = Array.FindIndex(frequencies, f => f >= r.Low);
        var last = Array.FindLastIndex(frequencies, f => f <= r.High);
        if (first < 0 || last < first) throw new InvalidSpectrogramOptionException("FrequencyRange", $"no bin lies between {r.Low} and {r.High} Hz: widen the band or lengthen the window.");
        var values = new float[(long)(last - first + 1) * frames];
        Array.Copy(power, (long)first * frames, values, 0, values.LongLength);
        return (values, frequencies[first..(last + 1)]);
    }
}
