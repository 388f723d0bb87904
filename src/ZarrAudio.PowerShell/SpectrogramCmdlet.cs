using System.Management.Automation;
using ZarrAudio.Analysis;

namespace ZarrAudio.PowerShell;

/// <summary>Base of the spectrogram cmdlets: a range of a recording (or a piped row) and the spectrogram's parameters.</summary>
public abstract class SpectrogramCmdlet : SampleRangeCmdlet
{
    /// <summary>Samples per window (default 512).</summary>
    [Parameter]
    [ValidateRange(8, 1 << 20)]
    public int WindowLength { get; set; } = 512;

    /// <summary>The fraction of a window the next overlaps (default 0.5).</summary>
    [Parameter]
    [ValidateRange(0.0, 0.99)]
    public double Overlap { get; set; } = 0.5;

    /// <summary>Low and high edge of the band shown, in hertz (bat calls: 20000, 120000).</summary>
    [Parameter]
    [ValidateCount(2, 2)]
    public double[]? FrequencyRange { get; set; }

    [Parameter]
    public SpectrogramScaling Scaling { get; set; } = SpectrogramScaling.Spectrum;

    protected SpectrogramOptions Options(SpectrogramUnit unit, int melBands = 0) => new()
    {
        WindowLength = WindowLength, Overlap = Overlap, Scaling = Scaling, Unit = unit, MelBands = melBands,
        FrequencyRange = FrequencyRange is { } r ? (r[0], r[1]) : null,
    };
}
