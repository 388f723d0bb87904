using System.Management.Automation;
using ZarrAudio.Segments;
using ZarrAudio.Training.Augmentation;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Makes one augmentation step for Read-TrainingBatch: gain, polarity, shift, time mask, generated noise, background
/// from the archive, mixing two labelled rows, or speed. Each applies with -Probability and draws its parameters from
/// -Range (or -SnrDb); defaults follow audiomentations and OpenSoundscape.
/// </summary>
[Cmdlet(VerbsCommon.New, "Augmentation", DefaultParameterSetName = "Gain")]
[OutputType(typeof(AugmentationStep))]
public sealed class NewAugmentationCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Gain")] public SwitchParameter Gain { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Polarity")] public SwitchParameter Polarity { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Shift")] public SwitchParameter Shift { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "TimeMask")] public SwitchParameter TimeMask { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Noise")] public SwitchParameter Noise { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Mix")] public SwitchParameter Mix { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Speed")] public SwitchParameter Speed { get; set; }

    /// <summary>Background sources: recordings (Get-RecordingMeta), segment rows, or ids; or -BackgroundSet.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Background")]
    public PSObject[]? Background { get; set; }

    /// <summary>A segment set whose rows are the background sources.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "BackgroundSet")]
    public string? BackgroundSet { get; set; }

    /// <summary>The chance the step applies to an example, 0 to 1.</summary>
    [Parameter]
    public double Probability { get; set; } = 0.5;

    /// <summary>Low and high of the drawn parameter: dB (Gain), fraction of the example (Shift, TimeMask), weight (Mix), factor (Speed).</summary>
    [Parameter(ParameterSetName = "Gain")]
    [Parameter(ParameterSetName = "Shift")]
    [Parameter(ParameterSetName = "TimeMask")]
    [Parameter(ParameterSetName = "Mix")]
    [Parameter(ParameterSetName = "Speed")]
    [ValidateCount(2, 2)]
    public double[]? Range { get; set; }

    /// <summary>Low and high signal-to-noise ratio in dB (Noise: 5 to 40; Background: 3 to 30).</summary>
    [Parameter(ParameterSetName = "Noise")]
    [Parameter(ParameterSetName = "Background")]
    [Parameter(ParameterSetName = "BackgroundSet")]
    [ValidateCount(2, 2)]
    public double[]? SnrDb { get; set; }

    [Parameter(ParameterSetName = "Noise")]
    public NoiseColor[]? Color { get; set; }

    /// <summary>Shift: fill with silence instead of rolling the shifted-out samples back in.</summary>
    [Parameter(ParameterSetName = "Shift")]
    public SwitchParameter NoRollover { get; set; }

    protected override void EndProcessing()
    {
        AugmentationStep step = ParameterSetName switch
        {
            "Polarity" => new PolarityStep(),
            "Shift" => Range is { } s ? new ShiftStep { MinFraction = s[0], MaxFraction = s[1], Rollover = !NoRollover } : new ShiftStep { Rollover = !NoRollover },
            "TimeMask" => Range is { } t ? new TimeMaskStep { MinFraction = t[0], MaxFraction = t[1] } : new TimeMaskStep(),
            "Noise" => Snr(new NoiseStep { Colors = Color ?? new NoiseStep().Colors }),
            "Mix" => Range is { } m ? new MixStep { MinWeight = m[0], MaxWeight = m[1] } : new MixStep(),
            "Speed" => Range is { } f ? new SpeedStep { MinFactor = f[0], MaxFactor = f[1] } : new SpeedStep(),
            "Background" or "BackgroundSet" => Snr(new BackgroundStep { Sources = Sources() }),
            _ => Range is { } g ? new GainStep { MinDb = g[0], MaxDb = g[1] } : new GainStep(),
        };
        step = step with { Probability = Probability };
        try { step.Validate(); }
        catch (Training.InvalidTrainingOptionException e) { ThrowTerminatingError(ErrorRecords.From(e, step.Name)); }
        WriteObject(step);
    }

    private AugmentationStep Snr(NoiseStep n) => SnrDb is { } r ? n with { MinSnrDb = r[0], MaxSnrDb = r[1] } : n;
    private AugmentationStep Snr(BackgroundStep b) => SnrDb is { } r ? b with { MinSnrDb = r[0], MaxSnrDb = r[1] } : b;

    /// <summary>The background rows, checked and pinned to their recordings now (an empty source is refused by Validate).</summary>
    private IReadOnlyList<Segment> Sources()
    {
        var archive = RequireArchive();
        try
        {
            if (BackgroundSet is { } set) return Run(ct => archive.GetSegmentsAsync(set, checkPins: true, ct));
            var rows = (Background ?? []).Select((o, i) => SegmentRows.FromObject(o, $"background {i + 1}", [])).ToList();
            return Run(ct => archive.PinSegmentsAsync(rows, ct));
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e, BackgroundSet ?? "Background"));
            throw; // not reached
        }
    }
}
