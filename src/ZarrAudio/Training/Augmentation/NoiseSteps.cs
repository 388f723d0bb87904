using ZarrAudio.Segments;

namespace ZarrAudio.Training.Augmentation;

public enum NoiseColor { White, Pink, Brown }

/// <summary>
/// Generated noise at a signal-to-noise ratio drawn in dB (audiomentations AddColorNoise/AddGaussianSNR: 5 to 40 dB),
/// of a colour drawn from <see cref="Colors"/>: white (flat), pink (−3 dB/octave, Paul Kellet's filter) or brown
/// (−6 dB/octave, a leaky integrator). A silent example stays silent (the noise is relative to its level).
/// </summary>
public sealed record NoiseStep : AugmentationStep
{
    public double MinSnrDb { get; init; } = 5;
    public double MaxSnrDb { get; init; } = 40;
    public IReadOnlyList<NoiseColor> Colors { get; init; } = [NoiseColor.White, NoiseColor.Pink, NoiseColor.Brown];
    public override string Name => "Noise";

    public override void Validate()
    {
        base.Validate();
        CheckRange("SNR dB", MinSnrDb, MaxSnrDb, -60, 120);
        if (Colors.Count == 0) throw new InvalidTrainingOptionException("Noise colors", "give at least one colour.");
    }

    internal override ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        var snr = context.Random.Uniform(MinSnrDb, MaxSnrDb);
        var color = Colors[(int)context.Random.Index(Colors.Count)];
        var (frames, n) = (context.Frames, context.Channels);
        var noise = context.Source.Scratch(frames * n);
        for (var c = 0; c < n; c++) Generate(color, context.Random, noise, c, n, frames);
        var signal = AugmentationContext.Power(context.All);
        var power = AugmentationContext.Power(noise.AsSpan(0, frames * n));
        if (signal > 0 && power > 0)
        {
            var scale = (float)Math.Sqrt(signal / power / Math.Pow(10, snr / 10));
            var all = context.All;
            for (var i = 0; i < all.Length; i++) all[i] += noise[i] * scale;
        }
        return new(new AppliedAugmentation(Name, new Dictionary<string, double> { ["snr_db"] = snr, ["color"] = (int)color }));
    }

    /// <summary>One channel of noise into every n-th place from <paramref name="c"/>.</summary>
    private static void Generate(NoiseColor color, SplitMix64 random, float[] into, int c, int n, int frames)
    {
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, level = 0;
        for (var i = 0; i < frames; i++)
        {
            var white = random.Gaussian();
            double v;
            switch (color)
            {
                case NoiseColor.Pink:
                    b0 = 0.99886 * b0 + white * 0.0555179; b1 = 0.99332 * b1 + white * 0.0750759; b2 = 0.96900 * b2 + white * 0.1538520;
                    b3 = 0.86650 * b3 + white * 0.3104856; b4 = 0.55000 * b4 + white * 0.5329522; b5 = -0.7616 * b5 - white * 0.0168980;
                    v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
                    b6 = white * 0.115926;
                    break;
                case NoiseColor.Brown:
                    level = 0.998 * level + white * 0.05;
                    v = level;
                    break;
                default: v = white; break;
            }
            into[i * n + c] = (float)v;
        }
    }
}

/// <summary>
/// Background audio from the archive, added at a signal-to-noise ratio drawn in dB (audiomentations AddBackgroundNoise:
/// 3 to 30 dB): the classic bioacoustic augmentation of mixing noise recorded at the same sites. A source is drawn from
/// <see cref="Sources"/> (a set's rows, or whole recordings), a window of the example's length from it (tiled when
/// the source is shorter); it is mixed to mono and added to every channel. A silent background is skipped.
/// </summary>
public sealed record BackgroundStep : AugmentationStep
{
    public IReadOnlyList<Segment> Sources { get; init; } = [];
    public double MinSnrDb { get; init; } = 3;
    public double MaxSnrDb { get; init; } = 30;
    public override string Name => "Background";

    public override void Validate()
    {
        base.Validate();
        CheckRange("SNR dB", MinSnrDb, MaxSnrDb, -60, 120);
        if (Sources.Count == 0) throw new InvalidTrainingOptionException("Background", "the background source holds no rows or recordings: give a set, rows or recordings to draw background from.");
        if (Sources.FirstOrDefault(s => s.Count < 1) is { } empty)
            throw new InvalidTrainingOptionException("Background", $"background row {empty.Id}@{empty.Start} is empty (0 samples).");
    }

    internal override async ValueTask<AppliedAugmentation?> ApplyAsync(AugmentationContext context, CancellationToken ct)
    {
        var snr = context.Random.Uniform(MinSnrDb, MaxSnrDb);
        var source = Sources[(int)context.Random.Index(Sources.Count)];
        var background = context.Source.Scratch(context.Frames);
        var window = await context.Source.ReadBackgroundAsync(source, context.Random, background, ct).ConfigureAwait(false);
        var power = AugmentationContext.Power(background.AsSpan(0, context.Frames));
        var signal = AugmentationContext.Power(context.All);
        var parameters = new Dictionary<string, double> { ["snr_db"] = snr };
        if (power <= 0) return new AppliedAugmentation(Name + " (skipped: silent background)", parameters, [window]);
        var scale = (float)Math.Sqrt(signal / power / Math.Pow(10, snr / 10));
        var (samples, n) = (context.Samples, context.Channels);
        for (var i = 0; i < context.Frames; i++)
        {
            var add = background[i] * scale;
            for (var c = 0; c < n; c++) samples[i * n + c] += add;
        }
        return new AppliedAugmentation(Name, parameters, [window]);
    }
}
