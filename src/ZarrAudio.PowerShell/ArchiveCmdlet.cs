using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>Base of the cmdlets that work on a mounted archive: -Archive, defaulting to the session's last mount.</summary>
public abstract class ArchiveCmdlet : ZarrAudioCmdlet
{
    /// <summary>The archive to work on; defaults to the one Mount-ZarrAudio made the session default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AudioArchive? Archive { get; set; }

    /// <summary>The archive to use, or a terminating ArchiveNotMounted error.</summary>
    protected AudioArchive RequireArchive()
    {
        try { return ResolveArchive(); }
        catch (ArchiveNotMountedException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
            throw; // ThrowTerminatingError does not return
        }
    }

    protected AudioArchive ResolveArchive()
    {
        if (Archive is not null) return Archive;
        return MountRegistry.Default(this) ?? throw new ArchiveNotMountedException();
    }
}

/// <summary>Thrown when a cmdlet needs an archive and none is mounted.</summary>
public sealed class ArchiveNotMountedException()
    : ZarrAudioException("No archive is mounted in this session. Run Mount-ZarrAudio first, or pass -Archive.");
