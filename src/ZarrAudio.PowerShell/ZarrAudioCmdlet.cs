using System.Management.Automation;

namespace ZarrAudio.PowerShell;

/// <summary>
/// Base of every ZarrAudio cmdlet: a cancellation token that StopProcessing (Ctrl+C) cancels, engine work run
/// on or off the pipeline thread, and error records with stable ids. Work started off the pipeline thread
/// belongs to the cmdlet: however the cmdlet ends (done, a terminating error, -ErrorAction Stop, a downstream
/// Select-Object -First, Ctrl+C), that work is cancelled and waited for before the cmdlet is gone, so nothing
/// it started is committed after it has returned.
/// </summary>
public abstract class ZarrAudioCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<Task> _work = [];
    private bool _disposed;

    protected CancellationToken CancellationToken => _cancel.Token;

    /// <summary>Runs engine work to completion on this (the pipeline) thread.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work) => work(CancellationToken).GetAwaiter().GetResult();
    protected void Run(Func<CancellationToken, Task> work) => work(CancellationToken).GetAwaiter().GetResult();

    /// <summary>Starts engine work off the pipeline thread; it is stopped with the cmdlet (see <see cref="StopWork"/>).</summary>
    protected Task<T> StartWork<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(CancellationToken));
        lock (_work) _work.Add(task);
        return task;
    }

    protected Task StartWork(Func<CancellationToken, Task> work) => StartWork<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; });

    /// <summary>Cancels the work this cmdlet started and waits until all of it has ended (its failures are not reported).</summary>
    protected void StopWork()
    {
        if (!_cancel.IsCancellationRequested) _cancel.Cancel();
        Task[] running;
        lock (_work) running = [.. _work];
        try { Task.WaitAll(running); }
        catch (AggregateException) { }
    }

    /// <summary>
    /// Runs engine work off the pipeline thread and, while it runs, writes its progress (a fraction reported by
    /// the work) on this thread a few times a second; the record is completed at the end.
    /// </summary>
    protected T RunWithProgress<T>(Func<IProgress<double>, CancellationToken, Task<T>> work, ProgressRecord record)
    {
        long fraction = 0; // a double's bits, so the worker and this thread exchange it atomically
        var task = StartWork(ct => work(new SyncProgress<double>(f => Interlocked.Exchange(ref fraction, BitConverter.DoubleToInt64Bits(f))), ct));
        try
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(250))
            {
                record.PercentComplete = (int)Math.Clamp(100 * BitConverter.Int64BitsToDouble(Interlocked.Read(ref fraction)), 0, 100);
                WriteProgress(record);
            }
        }
        catch
        {
            // The pipeline stopped while the work ran (WriteProgress threw): the work stops too.
            StopWork();
            throw;
        }
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        return task.GetAwaiter().GetResult();
    }

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Writes a non-terminating error for an engine exception, with a stable id and the right category.</summary>
    protected void WriteEngineError(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    /// <summary>
    /// Runs the work for one item (a recording, a file, a repair): an error of the engine, the store or the file system
    /// becomes a non-terminating error record about <paramref name="target"/> and the cmdlet goes on with the next item.
    /// Anything else is a defect and ends the cmdlet. True when the work succeeded.
    /// </summary>
    protected bool ForItem(object? target, Action work)
    {
        try
        {
            work();
            return true;
        }
        catch (Exception e) when (ErrorRecords.IsExpected(e))
        {
            WriteEngineError(e, target);
            return false;
        }
    }

    /// <summary>Runs when the cmdlet is gone (after its work stopped), however it ended.</summary>
    protected virtual void OnEnded() { }

    /// <summary>PowerShell disposes a command when its pipeline ends, however it ends.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StopWork();
        OnEnded();
        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }
}
