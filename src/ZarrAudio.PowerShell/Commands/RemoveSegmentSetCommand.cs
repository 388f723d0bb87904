using System.Management.Automation;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Removes whole segment sets (their rows only: the recordings stay).</summary>
[Cmdlet(VerbsCommon.Remove, "SegmentSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveSegmentSetCommand : ArchiveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        var archive = RequireArchive();
        foreach (var name in Name)
        {
            if (!ShouldProcess($"Segment set '{name}' of {archive.Location}", "Remove segment set")) continue;
            ForItem(name, () =>
            {
                Run(ct => archive.DeleteSegmentSetAsync(name, ct));
                WriteVerbose($"Removed segment set '{name}' from {archive.Location}.");
                WriteChange(archive, null);
            });
        }
    }

    protected override void EndProcessing() => FlushChanges();
}
