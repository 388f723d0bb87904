using System.Management.Automation;
using ZarrAudio.Analysis.Models;
using ZarrAudio.Segments;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Runs an ONNX model (a detector or classifier of raw audio windows) over recordings or rows: windows of the model's
/// length every -HopSeconds, averaged to one channel and resampled to -SampleRate, batched, read on all cores while
/// the model scores; every label that reaches -Threshold on a window becomes a row (Id, Start, Count, StartSeconds,
/// DurationSeconds, Label, Score) that pipes into Export-Spectrogram, Export-Recording or New-SegmentSet.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "AudioModel")]
[OutputType(typeof(PSObject))]
public sealed class InvokeAudioModelCommand : ArchiveCmdlet
{
    /// <summary>Recordings or rows (Id and a span); none: every recording of the archive.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The .onnx model file.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("ModelPath")]
    public string Path { get; set; } = "";

    /// <summary>A text file of labels, one per line, in the order of the model's outputs (BirdNET's labels file).</summary>
    [Parameter]
    public string? LabelPath { get; set; }

    /// <summary>The rate the model takes.</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(1, Reading.Resampling.SampleResampler.MaxRate)]
    public int SampleRate { get; set; }

    /// <summary>Seconds per window; default: the model's fixed input length.</summary>
    [Parameter]
    [ValidateRange(1e-3, 600.0)]
    public double? WindowSeconds { get; set; }

    /// <summary>Seconds between window starts; default: the window's length.</summary>
    [Parameter]
    [ValidateRange(1e-3, 600.0)]
    public double? HopSeconds { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = 32;

    /// <summary>The channels averaged into the model's input; default all.</summary>
    [Parameter]
    public int[]? Channel { get; set; }

    /// <summary>Feed each window's spectrogram [batch, frequency, time] instead of its samples.</summary>
    [Parameter]
    public SwitchParameter Spectrogram { get; set; }

    /// <summary>With -Spectrogram: mel bands instead of FFT bins.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int MelBands { get; set; }

    /// <summary>With -Spectrogram: 10·log10 of the power.</summary>
    [Parameter]
    public SwitchParameter Decibels { get; set; }

    /// <summary>With -Spectrogram: samples per FFT window (default 512).</summary>
    [Parameter]
    [ValidateRange(8, 1 << 20)]
    public int WindowLength { get; set; } = 512;

    /// <summary>With -Spectrogram: the overlap of FFT windows (default 0.5).</summary>
    [Parameter]
    [ValidateRange(0.0, 0.99)]
    public double Overlap { get; set; } = 0.5;

    private readonly List<SegmentInput> _rows = [];

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        try { _rows.Add(SegmentRows.FromObject(InputObject, $"input row {_rows.Count + 1}", [])); }
        catch (InvalidSegmentException e) { ThrowTerminatingError(ErrorRecords.From(e, InputObject)); }
    }

    protected override void EndProcessing()
    {
        var archive = RequireArchive();
        var modelPath = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            var labels = LabelPath is null ? null
                : File.ReadAllLines(GetUnresolvedProviderPathFromPSPath(LabelPath)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            var options = new AudioModelOptions
            {
                ModelPath = modelPath, Labels = labels, SampleRate = SampleRate, WindowSeconds = WindowSeconds, HopSeconds = HopSeconds,
                Threshold = Threshold, BatchSize = BatchSize, Channels = Channel,
                Spectrogram = Spectrogram ? new Analysis.SpectrogramOptions
                {
                    MelBands = MelBands, Unit = Decibels ? Analysis.SpectrogramUnit.Decibels : Analysis.SpectrogramUnit.Power, WindowLength = WindowLength, Overlap = Overlap,
                } : null,
            };
            using var model = new AudioModel(options);
            using var runner = new ModelRunner(archive, model, options);
            var spans = Run(async ct => _rows.Count > 0
                ? await archive.PinSegmentsAsync(SegmentRows.NumbersFromText(_rows), ct).ConfigureAwait(false)
                : await archive.PinSegmentsAsync((await archive.GetRecordingsAsync(ct).ConfigureAwait(false)).Select(r => new SegmentInput { Id = r.Id }), ct).ConfigureAwait(false));
            WriteVerbose($"{System.IO.Path.GetFileName(modelPath)}: windows of {model.WindowSamples} samples at {SampleRate} Hz, {model.Labels.Count} labels, over {spans.Count} span(s).");
            var detections = runner.DetectAsync(spans, CancellationToken).GetAsyncEnumerator(CancellationToken);
            try
            {
                while (Run(async _ => await detections.MoveNextAsync().ConfigureAwait(false)))
                    WriteObject(Row(detections.Current, archive));
            }
            finally { detections.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e, modelPath));
        }
    }

    private static PSObject Row(Detection d, Archive.AudioArchive archive)
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("Id", d.Id));
        row.Properties.Add(new PSNoteProperty("Start", d.Start));
        row.Properties.Add(new PSNoteProperty("Count", d.Count));
        row.Properties.Add(new PSNoteProperty("StartSeconds", d.StartSeconds));
        row.Properties.Add(new PSNoteProperty("DurationSeconds", d.DurationSeconds));
        row.Properties.Add(new PSNoteProperty("Label", d.Label));
        row.Properties.Add(new PSNoteProperty("Score", Math.Round(d.Score, 6)));
        row.Properties.Add(new PSNoteProperty("Fingerprint", d.Fingerprint));
        row.Properties.Add(new PSNoteProperty("Archive", archive));
        return row;
    }
}
