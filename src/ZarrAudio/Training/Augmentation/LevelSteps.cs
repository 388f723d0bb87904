namespace ZarrAudio.Training.Augmentation;

/// <summary>A gain drawn in decibels (audiomentations Gain: −12 to 12 dB).</summary>
public sealed record GainStep : AugmentationStep
{
    public double MinDb { get; init; } = -12;
    public double MaxDb { get; init; } = 12;
    public override string Name => "Gain";

    public override void Validate()
    {
        base.Validate();
        CheckRange("dB", MinDb, MaxDb, -120, 120);
    }

    internal override ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        var db = context.Random.Uniform(MinDb, MaxDb);
        var factor = (float)Math.Pow(10, db / 20);
        foreach (ref var v in context.All) v *= factor;
        return new(new AppliedAugmentation(Name, new Dictionary<string, double> { ["gain_db"] = db }));
    }
}

/// <summary>The waveform upside down (audiomentations PolarityInversion).</summary>
public sealed record PolarityStep : AugmentationStep
{
    public override string Name => "Polarity";

    internal override ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        foreach (ref var v in context.All) v = -v;
        return new(new AppliedAugmentation(Name, new Dictionary<string, double>()));
    }
}
