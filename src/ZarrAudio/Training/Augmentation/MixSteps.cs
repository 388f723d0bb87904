namespace ZarrAudio.Training.Augmentation;

/// <summary>
/// Another labelled row mixed in (OpenSoundscape's overlay): result = (1 − w)·example + w·other, w drawn from
/// [MinWeight, MaxWeight] (default 0.5); the other row's labels join the example's. Needs at least two rows.
/// </summary>
public sealed record MixStep : AugmentationStep
{
    public double MinWeight { get; init; } = 0.5;
    public double MaxWeight { get; init; } = 0.5;
    public override string Name => "Mix";

    public override void Validate()
    {
        base.Validate();
        CheckRange("weight", MinWeight, MaxWeight, 0, 1);
    }

    internal override async ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        var rows = context.Source.Rows;
        if (rows.Count < 2) return null;
        var weight = context.Random.Uniform(MinWeight, MaxWeight);
        // Any row but this one, uniformly.
        var pick = (int)context.Random.Index(rows.Count - 1);
        if (pick >= context.Source.RowIndex) pick++;
        var other = context.Source.Scratch(context.Frames * context.Channels);
        var row = await context.Source.ReadRowAsync(pick, (long)context.Random.Next(), other, ct).ConfigureAwait(false);
        var all = context.All;
        var (keep, add) = ((float)(1 - weight), (float)weight);
        for (var i = 0; i < all.Length; i++) all[i] = keep * all[i] + add * other[i];
        context.Mixed.Add(row);
        return new AppliedAugmentation(Name, new Dictionary<string, double> { ["weight"] = weight, ["row"] = pick }, [row]);
    }
}

/// <summary>
/// Speed perturbation (pitch and tempo together, as sox speed and torchaudio's speed perturbation): a factor drawn
/// from [MinFactor, MaxFactor] (default 0.9 to 1.1); factor·length seconds of the source are resampled into the
/// example. Applied while reading, whatever its place among the steps.
/// </summary>
public sealed record SpeedStep : AugmentationStep
{
    public double MinFactor { get; init; } = 0.9;
    public double MaxFactor { get; init; } = 1.1;
    public override string Name => "Speed";

    public override void Validate()
    {
        base.Validate();
        CheckRange("factor", MinFactor, MaxFactor, 0.25, 4);
    }

    internal double Draw(SplitMix64 random) => random.Uniform(MinFactor, MaxFactor);

    internal override ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct) => new((AppliedAugmentation?)null);
}
