using System.Globalization;
using ZarrAudio.Segments;

namespace ZarrAudio.Training.Augmentation;

/// <summary>
/// One augmentation: applied with <see cref="Probability"/>, its parameters drawn from its ranges. Every draw comes
/// from a generator seeded by (seed, epoch, row, step), so the same four always give the same samples, whichever
/// thread reads the example and in whatever order. Defaults follow audiomentations and OpenSoundscape.
/// </summary>
public abstract record AugmentationStep
{
    public double Probability { get; init; } = 0.5;

    /// <summary>The operation's name, as reported in what was applied.</summary>
    public abstract string Name { get; }

    /// <summary>Refuses ranges that cannot be drawn from (reversed, out of bounds), naming the option.</summary>
    public virtual void Validate()
    {
        if (double.IsNaN(Probability) || Probability is < 0 or > 1)
            throw new InvalidTrainingOptionException($"{Name} probability", $"{Show(Probability)} is not a probability: give 0 to 1.");
    }

    /// <summary>Changes the example in place; returns what was applied, or null when it did nothing (a silent signal, say).</summary>
    internal abstract ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct);

    protected void CheckRange(string what, double min, double max, double lowest, double highest)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
            throw new InvalidTrainingOptionException($"{Name} {what}", $"the range {Show(min)} to {Show(max)} is reversed or not a number: give the smaller value first.");
        if (min < lowest || max > highest)
            throw new InvalidTrainingOptionException($"{Name} {what}", $"the range {Show(min)} to {Show(max)} leaves {Show(lowest)} to {Show(highest)}.");
    }

    protected static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>What one step did to one example: its parameters, and the rows it mixed in (background, a second labelled row).</summary>
public sealed record AppliedAugmentation(string Operation, IReadOnlyDictionary<string, double> Parameters, IReadOnlyList<Segment>? Rows = null)
{
    public override string ToString() =>
        $"{Operation}({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value.ToString("0.####", CultureInfo.InvariantCulture)}"))}"
        + (Rows is { Count: > 0 } ? $"; rows {string.Join(", ", Rows.Select(r => $"{r.Id}@{r.Start}+{r.Count}"))})" : ")");
}

/// <summary>The example being augmented: interleaved [frame, channel] samples, and a way to read other rows shaped like it.</summary>
internal sealed class AugmentationContext(float[] samples, int frames, int channels, int sampleRate, IExampleSource source)
{
    public float[] Samples { get; } = samples;
    public int Frames { get; } = frames;
    public int Channels { get; } = channels;
    public int SampleRate { get; } = sampleRate;
    public IExampleSource Source { get; } = source;
    public SplitMix64 Random { get; set; } = new(0);
    /// <summary>Labelled rows mixed into this example (their labels join its own).</summary>
    public List<Segment> Mixed { get; } = [];

    public Span<float> All => Samples.AsSpan(0, Frames * Channels);

    /// <summary>Mean square over all samples.</summary>
    public static double Power(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var v in samples) sum += (double)v * v;
        return samples.Length == 0 ? 0 : sum / samples.Length;
    }
}

/// <summary>What steps that mix in other audio need from the reader.</summary>
internal interface IExampleSource
{
    /// <summary>The rows examples are drawn from (for mixing two labelled rows).</summary>
    IReadOnlyList<Segment> Rows { get; }
    /// <summary>The index in <see cref="Rows"/> of the example being read.</summary>
    int RowIndex { get; }
    /// <summary>A window of the example's length from <paramref name="source"/>, mono at the example's rate (tiled when shorter); its place drawn from <paramref name="random"/>.</summary>
    ValueTask<Segment> ReadBackgroundAsync(Segment source, SplitMix64 random, float[] destination, CancellationToken ct);
    /// <summary>Row <paramref name="index"/> read as an example is (its crop drawn with <paramref name="salt"/>), without augmentation.</summary>
    ValueTask<Segment> ReadRowAsync(int index, long salt, float[] destination, CancellationToken ct);
    /// <summary>A buffer of at least <paramref name="length"/> floats, reused by the steps of one worker.</summary>
    float[] Scratch(int length);
}
