using System.Management.Automation;
using ZarrAudio.Archive;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Base of the cmdlets that work on an archive: the -Archive parameter (defaulting to the session's last
/// mount), a cancellation token that StopProcessing (Ctrl+C) cancels, and error records with stable ids.
/// </summary>
public abstract class ZarrAudioCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The archive to work on; defaults to the one Mount-ZarrAudio made the session default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AudioArchive? Archive { get; set; }

    protected CancellationToken CancellationToken => _cancel.Token;

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

    /// <summary>Runs engine work to completion on this (the pipeline) thread.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work) => work(CancellationToken).GetAwaiter().GetResult();
    protected void Run(Func<CancellationToken, Task> work) => work(CancellationToken).GetAwaiter().GetResult();

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Writes a non-terminating error for an engine exception, with a stable id and the right category.</summary>
    protected void WriteEngineError(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    protected override void EndProcessing() => _cancel.Dispose();
}

/// <summary>Thrown when a cmdlet needs an archive and none is mounted.</summary>
public sealed class ArchiveNotMountedException()
    : ZarrAudioException("No archive is mounted in this session. Run Mount-ZarrAudio first, or pass -Archive.");
