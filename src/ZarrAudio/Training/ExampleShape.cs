using System.Globalization;
using ZarrAudio.Reading;
using ZarrAudio.Reading.Resampling;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.Training;

/// <summary>
/// What a training example looks like: its length, rate and channels, where the crop sits in a longer segment and how
/// a shorter one is padded, and the augmentations drawn for it. The same shape, seed, epoch and row always give the
/// same samples (<see cref="ExampleReader"/>).
/// </summary>
public sealed record ExampleShape
{
    /// <summary>The longest example: ten minutes.</summary>
    public const double MaxLength = 600;

    /// <summary>Seconds per example (required): longer segments are cropped, shorter ones padded.</summary>
    public required double Length { get; init; }
    /// <summary>The rate examples are read at (libsoxr); null: the recordings' own, which must then agree.</summary>
    public int? SampleRate { get; init; }
    public ResampleQuality Quality { get; init; } = ResampleQuality.High;
    /// <summary>One channel, the mean of the chosen ones.</summary>
    public bool Mono { get; init; }
    /// <summary>The channels read; null: a row's own channel when it names one, else all.</summary>
    public int[]? Channels { get; init; }
    public CropMode Crop { get; init; } = CropMode.Random;
    public PadMode Pad { get; init; } = PadMode.Zero;
    public long Seed { get; init; }
    /// <summary>Applied in order, each with its own probability; a speed change is applied while reading, whatever its place.</summary>
    public IReadOnlyList<AugmentationStep> Augmentations { get; init; } = [];

    /// <summary>Refuses what cannot be read, naming the option, before any work starts.</summary>
    public void Validate()
    {
        if (double.IsNaN(Length) || Length <= 0 || Length > MaxLength)
            throw new InvalidTrainingOptionException("Length", $"a crop of {Length.ToString(CultureInfo.InvariantCulture)} s cannot be read: give more than 0 s and at most {MaxLength} s.");
        if (SampleRate is { } r && r is < 1 or > SampleResampler.MaxRate)
            throw new InvalidTrainingOptionException("SampleRate", $"a rate of {r} Hz cannot be read: give 1 Hz to {SampleResampler.MaxRate:N0} Hz.");
        if (SampleRate is { } rate && RangeRequest.ToSample(Length, rate) < 1)
            throw new InvalidTrainingOptionException("Length", $"{Length.ToString(CultureInfo.InvariantCulture)} s at {rate} Hz is less than one sample.");
        if (Channels is { Length: 0 }) throw new InvalidTrainingOptionException("Channel", "choose at least one channel.");
        if (Channels?.FirstOrDefault(c => c < 0) is < 0) throw new InvalidTrainingOptionException("Channel", "channels are numbered from 0.");
        foreach (var step in Augmentations) step.Validate();
        if (Augmentations.OfType<SpeedStep>().Count() > 1) throw new InvalidTrainingOptionException("Speed", "give one speed change; two would multiply.");
    }
}
