namespace ZarrAudio.Analysis;

/// <summary>
/// A spectrogram: float32 values [frequency, time] in one flat array (C order, like numpy's), the centre frequency of
/// each row in hertz (a mel band's centre for mel rows), and the centre of each column in seconds from the range's start.
/// </summary>
public sealed record Spectrogram
{
    public required float[] Values { get; init; }
    public required double[] Frequencies { get; init; }
    public required double[] Times { get; init; }
    public required int SampleRate { get; init; }
    public required SpectrogramOptions Options { get; init; }
    /// <summary>The recording and the samples it was computed from (0 and the length for samples given directly).</summary>
    public long Id { get; init; }
    public long Start { get; init; }
    public long Count { get; init; }
    /// <summary>The channels mixed (their mean) into the signal.</summary>
    public int[] Channels { get; init; } = [];

    public int[] Shape => [Frequencies.Length, Times.Length];
    public float this[int frequency, int time] => Values[(long)frequency * Times.Length + time];

    /// <summary>The row of the bin (or band) whose centre is nearest <paramref name="hertz"/>.</summary>
    public int RowOf(double hertz)
    {
        var best = 0;
        for (var i = 1; i < Frequencies.Length; i++)
            if (Math.Abs(Frequencies[i] - hertz) < Math.Abs(Frequencies[best] - hertz)) best = i;
        return best;
    }

    public override string ToString() => $"Spectrogram of recording {Id} [{Start}, {Start + Count}): {Frequencies.Length} × {Times.Length} at {SampleRate} Hz";
}
