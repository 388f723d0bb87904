using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Base of every ZarrAudio cmdlet: a cancellation token that StopProcessing (Ctrl+C) cancels, engine work run
/// on the pipeline thread, and error records with stable ids.
/// </summary>
public abstract class ZarrAudioCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _cancel = new();

    protected CancellationToken CancellationToken => _cancel.Token;

    /// <summary>Runs engine work to completion on this (the pipeline) thread.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work) => work(CancellationToken).GetAwaiter().GetResult();
    protected void Run(Func<CancellationToken, Task> work) => work(CancellationToken).GetAwaiter().GetResult();

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Writes a non-terminating error for an engine exception, with a stable id and the right category.</summary>
    protected void WriteEngineError(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    protected override void EndProcessing() => _cancel.Dispose();
}
