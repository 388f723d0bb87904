namespace ZarrAudio.Training.Augmentation;

/// <summary>
/// A shift in time by a fraction of the example drawn from [MinFraction, MaxFraction] (audiomentations Shift: ±0.5),
/// rolling the samples shifted out back in at the other end, or filling with silence when <see cref="Rollover"/> is off.
/// </summary>
public sealed record ShiftStep : AugmentationStep
{
    public double MinFraction { get; init; } = -0.5;
    public double MaxFraction { get; init; } = 0.5;
    public bool Rollover { get; init; } = true;
    public override string Name => "Shift";

    public override void Validate()
    {
        base.Validate();
        CheckRange("fraction", MinFraction, MaxFraction, -1, 1);
    }

    internal override ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        var fraction = context.Random.Uniform(MinFraction, MaxFraction);
        var frames = (int)Math.Round(fraction * context.Frames);
        var all = context.All;
        var n = context.Channels;
        var by = ((frames % context.Frames) + context.Frames) % context.Frames * n; // a right rotation by this many samples
        if (by != 0)
        {
            // Rotate in place (three reversals): no buffer.
            all.Reverse();
            all[..by].Reverse();
            all[by..].Reverse();
            if (!Rollover)
            {
                if (frames > 0) all[..(frames * n)].Clear();
                else all[(all.Length + frames * n)..].Clear();
            }
        }
        return new(new AppliedAugmentation(Name, new Dictionary<string, double> { ["shift_samples"] = frames, ["rollover"] = Rollover ? 1 : 0 }));
    }
}

/// <summary>A stretch of the example silenced: its length a fraction drawn from [MinFraction, MaxFraction] (audiomentations TimeMask: 1 % to 20 %), its place at random.</summary>
public sealed record TimeMaskStep : AugmentationStep
{
    public double MinFraction { get; init; } = 0.01;
    public double MaxFraction { get; init; } = 0.2;
    public override string Name => "TimeMask";

    public override void Validate()
    {
        base.Validate();
        CheckRange("fraction", MinFraction, MaxFraction, 0, 1);
    }

    internal override ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        var length = (int)Math.Round(context.Random.Uniform(MinFraction, MaxFraction) * context.Frames);
        var start = (int)context.Random.Index(context.Frames - length + 1);
        context.All.Slice(start * context.Channels, length * context.Channels).Clear();
        return new(new AppliedAugmentation(Name, new Dictionary<string, double> { ["start_sample"] = start, ["samples"] = length }));
    }
}
