using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>
/// Lists the archives this runspace has mounted, in mount order, each with IsDefault (the one cmdlets use
/// without -Archive: the last mounted that is still mounted).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ZarrAudio")]
[OutputType(typeof(AudioArchive))]
public sealed class GetZarrAudioCommand : ZarrAudioCmdlet
{
    protected override void ProcessRecord()
    {
        var mounts = MountRegistry.All();
        WriteVerbose($"{mounts.Count} archive(s) mounted in this runspace.");
        foreach (var archive in mounts)
        {
            var item = new PSObject(archive);
            item.Properties.Add(new PSNoteProperty("IsDefault", ReferenceEquals(archive, mounts[^1])));
            WriteObject(item);
        }
    }
}
