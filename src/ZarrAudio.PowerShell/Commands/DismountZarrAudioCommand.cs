using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Releases mounted archives (a .zip archive's changes are written out first; if that fails, the archive stays
/// mounted so nothing is lost). The archive mounted before becomes the default again.
/// </summary>
[Cmdlet(VerbsData.Dismount, "ZarrAudio", DefaultParameterSetName = OneSet, SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DismountZarrAudioCommand : ZarrAudioCmdlet
{
    private const string OneSet = "One";
    private const string AllSet = "All";

    /// <summary>The archive to release; default: the runspace's default archive.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = OneSet)]
    [Alias("Archive")]
    public AudioArchive? InputObject { get; set; }

    /// <summary>Release every archive this runspace has mounted.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        if (All)
        {
            foreach (var archive in MountRegistry.All()) Dismount(archive);
            return;
        }
        var target = InputObject ?? MountRegistry.Default();
        if (target is null)
        {
            WriteEngineError(new ArchiveNotMountedException(), null);
            return;
        }
        Dismount(target);
    }

    private void Dismount(AudioArchive archive)
    {
        if (!archive.IsMounted)
        {
            MountRegistry.Remove(archive);
            return;
        }
        if (!ShouldProcess(archive.Location, archive.BuffersWrites ? "Dismount (writing out the zip file)" : "Dismount")) return;
        ForItem(archive.Location, () =>
        {
            archive.Flush();
            MountRegistry.Remove(archive);
            archive.Dispose();
            WriteVerbose($"Dismounted {archive.Location}.");
        });
    }
}
