using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell.Commands;

/// <summary>Releases a mounted archive (a .zip archive is written out now).</summary>
[Cmdlet(VerbsData.Dismount, "ZarrAudio")]
[OutputType(typeof(void))]
public sealed class DismountZarrAudioCommand : ZarrAudioCmdlet
{
    /// <summary>The archive to release; default: the session's default archive.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [Alias("Archive")]
    public AudioArchive? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var archive = InputObject ?? MountRegistry.Default(this) ?? throw new ArchiveNotMountedException();
            MountRegistry.Forget(this, archive);
            archive.Dispose();
        }
        catch (Exception e) when (e is ZarrAudioException or Zarr.ZarrException or IOException)
        {
            WriteEngineError(e, InputObject);
        }
    }
}
