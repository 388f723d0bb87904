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

    /// <summary>
    /// Runs engine work off the pipeline thread and, while it runs, writes its progress (a fraction reported by
    /// the work) on this thread a few times a second; the record is completed at the end.
    /// </summary>
    protected T RunWithProgress<T>(Func<IProgress<double>, CancellationToken, Task<T>> work, ProgressRecord record)
    {
        long fraction = 0; // a double's bits, so the worker and this thread exchange it atomically
        var task = Task.Run(() => work(new SyncProgress<double>(f => Interlocked.Exchange(ref fraction, BitConverter.DoubleToInt64Bits(f))), CancellationToken));
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(250))
        {
            record.PercentComplete = (int)Math.Clamp(100 * BitConverter.Int64BitsToDouble(Interlocked.Read(ref fraction)), 0, 100);
            WriteProgress(record);
        }
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        return task.GetAwaiter().GetResult();
    }

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Writes a non-terminating error for an engine exception, with a stable id and the right category.</summary>
    protected void WriteEngineError(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    protected override void EndProcessing() => _cancel.Dispose();
}
