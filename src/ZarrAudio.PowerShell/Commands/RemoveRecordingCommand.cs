using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Removes recordings from the archive. Their ids are never reused.</summary>
[Cmdlet(VerbsCommon.Remove, "Recording", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveRecordingCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RecordingIdCompleter]
    public long[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        foreach (var id in Id)
        {
            if (!ShouldProcess($"Recording {id} of {archive.Location}", "Remove recording")) continue;
            ForItem(id, () =>
            {
                Run(ct => archive.RemoveAsync(id, ct));
                WriteVerbose($"Removed recording {id} from {archive.Location}; its id is not used again.");
                WriteChange(archive, null);
            });
        }
    }

    protected override void EndProcessing() => FlushChanges();
}
