using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>Base of the cmdlets that work on a mounted archive: -Archive, defaulting to the session's last mount.</summary>
public abstract class ArchiveCmdlet : ZarrAudioCmdlet
{
    /// <summary>The archive to work on; defaults to the one Mount-ZarrAudio made the session default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AudioArchive? Archive { get; set; }

    /// <summary>The archive to use, or a terminating ArchiveNotMounted (ArchiveDismounted) error.</summary>
    protected AudioArchive RequireArchive()
    {
        var archive = Archive ?? MountRegistry.Default();
        if (archive is null) ThrowTerminatingError(ErrorRecords.From(new ArchiveNotMountedException(), null));
        if (!archive!.IsMounted) ThrowTerminatingError(ErrorRecords.From(new ArchiveDismountedException(archive.Location), null));
        return archive;
    }

    /// <summary>-UserMeta as plain, checked values (cycles, depth, values that are not data), or a terminating InvalidUserMetadata.</summary>
    protected System.Collections.Hashtable? PlainUserMetadata(System.Collections.Hashtable? userMeta)
    {
        if (userMeta is null) return null;
        try { return PlainValues.From(userMeta); }
        catch (InvalidMetadataException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, e.Key));
            throw; // not reached
        }
    }

    private readonly List<object> _heldBack = [];
    private AudioArchive? _changed;

    /// <summary>
    /// Reports a change: at once when the archive's store writes through; for a store that buffers writes (a .zip)
    /// only after <see cref="FlushChanges"/> has stored it, so success is never reported for data not stored.
    /// </summary>
    protected void WriteChange(AudioArchive archive, object? result)
    {
        _changed = archive;
        if (result is null) return;
        if (archive.BuffersWrites) _heldBack.Add(result);
        else WriteObject(result);
    }

    /// <summary>Stores the changes this cmdlet made (a .zip is rewritten once), then writes what was held back.</summary>
    protected void FlushChanges()
    {
        if (_changed is not { BuffersWrites: true } archive) return;
        _changed = null;
        try { archive.Flush(); }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            _heldBack.Clear();
            ThrowTerminatingError(ErrorRecords.From(e, archive.Location));
        }
        foreach (var result in _heldBack) WriteObject(result);
        _heldBack.Clear();
    }

    /// <summary>A cmdlet that ended early (an error, a stopped pipeline) still stores what it changed.</summary>
    protected override void OnEnded()
    {
        if (_changed is not { BuffersWrites: true, IsMounted: true } archive) return;
        try { archive.Flush(); }
        catch (Exception e) when (ErrorRecords.IsExpected(e)) { }
    }
}

/// <summary>Thrown when a cmdlet needs an archive and none is mounted.</summary>
public sealed class ArchiveNotMountedException()
    : ZarrAudioException("No archive is mounted in this session. Run Mount-ZarrAudio first, or pass -Archive.");
