using System.Management.Automation;
using ZarrAudio.Training;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Writes batches from Read-TrainingBatch as files numpy loads: {stem}.samples.npy (float32 [example, channel, frame]),
/// one {stem}.label_{name}.npy per label column, and {stem}.json describing every example (written last).
/// </summary>
[Cmdlet(VerbsData.Export, "TrainingBatch", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportTrainingBatchCommand : ZarrAudioCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public TrainingBatch? InputObject { get; set; }

    /// <summary>The folder the files go into (created when missing).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    /// <summary>Replace a batch's files that exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private string? _folder;

    protected override void ProcessRecord()
    {
        if (InputObject is not { } batch) return;
        _folder ??= SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var stem = System.IO.Path.Combine(_folder, BatchFiles.StemOf(batch));
        if (!ShouldProcess(stem + ".*", "Write batch files")) return;
        ForItem(stem, () =>
        {
            Directory.CreateDirectory(_folder);
            WriteObject(new FileInfo(BatchFiles.Write(_folder, batch, Force)));
        });
    }
}
