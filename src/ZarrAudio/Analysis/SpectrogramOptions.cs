using System.Globalization;

namespace ZarrAudio.Analysis;

/// <summary>How power is scaled, as scipy.signal.spectrogram's <c>scaling</c>: per hertz, or as the power of each bin.</summary>
public enum SpectrogramScaling { Spectrum, Density }

/// <summary>What the values are: linear power, or 10·log10 of it.</summary>
public enum SpectrogramUnit { Power, Decibels }

/// <summary>
/// A spectrogram's parameters. Defaults follow OpenSoundscape (and scikit-maad's Hann window): a 512-sample periodic
/// Hann window, 50 % overlap, each segment's mean removed, power as scipy's "spectrum" scaling. With these, the values
/// equal scipy.signal.spectrogram(x, fs, window='hann', nperseg, noverlap, detrend='constant', scaling=…).
/// </summary>
public sealed record SpectrogramOptions
{
    public int WindowLength { get; init; } = 512;
    /// <summary>The fraction of a window the next one overlaps, 0 to below 1.</summary>
    public double Overlap { get; init; } = 0.5;
    public SpectrogramScaling Scaling { get; init; } = SpectrogramScaling.Spectrum;
    public SpectrogramUnit Unit { get; init; } = SpectrogramUnit.Power;
    /// <summary>Remove each segment's mean before the window (scipy's detrend='constant').</summary>
    public bool Detrend { get; init; } = true;
    /// <summary>Mel bands instead of FFT bins (HTK mel scale, triangular filters peaking at 1); 0: FFT bins.</summary>
    public int MelBands { get; init; }
    /// <summary>The band kept, in hertz (bins or mel filters outside it are left out); null: 0 to half the rate.</summary>
    public (double Low, double High)? FrequencyRange { get; init; }

    /// <summary>Samples from one window's start to the next one's.</summary>
    public int Hop => Math.Max(1, WindowLength - (int)Math.Round(WindowLength * Overlap));

    public void Validate(int sampleRate)
    {
        if (WindowLength is < 8 or > 1 << 20)
            throw new InvalidSpectrogramOptionException("WindowLength", $"a window of {WindowLength} samples: give 8 to 1,048,576.");
        if (double.IsNaN(Overlap) || Overlap < 0 || Overlap >= 1)
            throw new InvalidSpectrogramOptionException("Overlap", $"an overlap of {Overlap.ToString(CultureInfo.InvariantCulture)}: give 0 to below 1 (0.5 is half a window).");
        if (MelBands is < 0 or > 1024) throw new InvalidSpectrogramOptionException("MelBands", $"{MelBands} mel bands: give 1 to 1024, or 0 for FFT bins.");
        if (FrequencyRange is { } r && (double.IsNaN(r.Low) || double.IsNaN(r.High) || r.Low < 0 || r.High <= r.Low || r.Low >= sampleRate / 2.0))
            throw new InvalidSpectrogramOptionException("FrequencyRange", $"{r.Low.ToString(CultureInfo.InvariantCulture)} to {r.High.ToString(CultureInfo.InvariantCulture)} Hz is not a band of a {sampleRate} Hz recording: give a low below {sampleRate / 2} Hz and a higher high.");
    }
}

/// <summary>A spectrogram option that cannot be used (a window of 2 samples, an overlap of 1, a band past Nyquist).</summary>
public sealed class InvalidSpectrogramOptionException(string option, string message) : ZarrAudioException($"{option}: {message}")
{
    public string Option { get; } = option;
}
