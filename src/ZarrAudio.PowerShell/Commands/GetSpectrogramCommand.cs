using System.Management.Automation;
using ZarrAudio.Analysis;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Computes spectrograms as arrays for analysis and models: float32 [frequency, time] (Values, Shape), the bins' centre
/// frequencies and the columns' centre times; linear power (default) or dB, FFT bins or mel bands. The values equal
/// scipy.signal.spectrogram with the same window, overlap and scaling. Recordings and rows pipe in.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Spectrogram", DefaultParameterSetName = SampleSet)]
[OutputType(typeof(Spectrogram))]
public sealed class GetSpectrogramCommand : SpectrogramCmdlet
{
    /// <summary>10·log10 of the power instead of the power.</summary>
    [Parameter]
    public SwitchParameter Decibels { get; set; }

    /// <summary>Mel bands (HTK mel scale, triangular filters) instead of FFT bins.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int MelBands { get; set; }

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        var (id, range, channels, fingerprint) = (RecordingId, Range, Channel, Fingerprint);
        var options = Options(Decibels ? SpectrogramUnit.Decibels : SpectrogramUnit.Power, MelBands);
        var columns = RowColumns();
        ForItem(id, () =>
        {
            var spectrogram = Run(async ct =>
            {
                var recording = await RecordingAsync(archive, id, fingerprint, ct).ConfigureAwait(false);
                var (start, count) = recording.Resolve(range);
                return await SpectrogramReader.ReadAsync(recording, start, count, channels, options, ct).ConfigureAwait(false);
            });
            var output = PSObject.AsPSObject(spectrogram);
            foreach (var (name, value) in columns)
                if (output.Properties[name] is null) output.Properties.Add(new PSNoteProperty(name, value));
            WriteObject(output);
        });
    }
}
