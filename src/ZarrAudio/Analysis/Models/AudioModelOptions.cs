using System.Globalization;

namespace ZarrAudio.Analysis.Models;

/// <summary>
/// How a model is run over audio: its file and labels, the rate and window length it takes (raw samples
/// [batch, samples], or [batch, 1, samples]), the hop between windows, the score a label must reach, and batch size.
/// </summary>
public sealed record AudioModelOptions
{
    public required string ModelPath { get; init; }
    /// <summary>One label per output column; null: "class_0", "class_1", …</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>The rate the model takes: windows are resampled to it (libsoxr High).</summary>
    public required int SampleRate { get; init; }
    /// <summary>Seconds per window; null: from the model's input shape, which must then be fixed.</summary>
    public double? WindowSeconds { get; init; }
    /// <summary>Seconds from one window's start to the next; null: the window's length (no overlap).</summary>
    public double? HopSeconds { get; init; }
    public double Threshold { get; init; } = 0.5;
    public int BatchSize { get; init; } = 32;
    /// <summary>The channels averaged into the model's one channel; null: all.</summary>
    public int[]? Channels { get; init; }
    /// <summary>
    /// Feed each window's spectrogram ([batch, frequency, time] or [batch, 1, frequency, time]) instead of its samples:
    /// power or dB, FFT bins or mel bands, as these options say (the window's length must then be given).
    /// </summary>
    public SpectrogramOptions? Spectrogram { get; init; }

    public void Validate()
    {
        if (SampleRate is < 1 or > Reading.Resampling.SampleResampler.MaxRate)
            throw new InvalidModelException($"a model rate of {SampleRate} Hz: give 1 Hz to {Reading.Resampling.SampleResampler.MaxRate:N0} Hz.");
        if (WindowSeconds is { } w && (double.IsNaN(w) || w <= 0 || w > 600))
            throw new InvalidModelException($"a window of {w.ToString(CultureInfo.InvariantCulture)} s: give more than 0 and at most 600 s.");
        if (HopSeconds is { } h && (double.IsNaN(h) || h <= 0 || h > 600))
            throw new InvalidModelException($"a hop of {h.ToString(CultureInfo.InvariantCulture)} s: give more than 0 and at most 600 s.");
        if (double.IsNaN(Threshold) || Threshold is < 0 or > 1) throw new InvalidModelException($"a threshold of {Threshold.ToString(CultureInfo.InvariantCulture)}: give 0 to 1.");
        if (BatchSize is < 1 or > 4096) throw new InvalidModelException($"a batch of {BatchSize}: give 1 to 4096.");
        if (Spectrogram is not null && WindowSeconds is null) throw new InvalidModelException("a model of spectrograms needs the window's length in seconds.");
        Spectrogram?.Validate(SampleRate);
        if (!File.Exists(ModelPath)) throw new FileNotFoundException($"The model file {ModelPath} does not exist.", ModelPath);
    }
}

/// <summary>A model that cannot be run as asked: its input shape does not fit, its labels do not match its outputs, it failed.</summary>
public sealed class InvalidModelException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>A model that failed while it ran (ONNX Runtime's error), with the batch it failed on.</summary>
public sealed class ModelFailedException(string message, Exception? inner = null) : ZarrAudioException(message, inner);

/// <summary>What a model found: a label scored at least the threshold on a window of a recording.</summary>
public sealed record Detection(long Id, long Start, long Count, int SampleRate, string Label, double Score, string Fingerprint)
{
    public double StartSeconds => Start / (double)SampleRate;
    public double DurationSeconds => Count / (double)SampleRate;
}
