namespace ZarrAudio.Import;

/// <summary>
/// The token handed to FFMpegCore's CancellableThrough. FFMpegCore stops ffmpeg from inside the token's
/// callbacks, and that callback throws when ffmpeg has just exited (its process object is gone): with the
/// caller's token passed straight in, the exception would surface in whoever called Cancel() — a progress
/// handler, PowerShell's StopProcessing — or crash a thread-pool thread. This source is cancelled on a
/// thread of its own instead, and that throw is absorbed there.
/// </summary>
internal sealed class FfmpegCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly CancellationTokenRegistration _link;

    public FfmpegCancellation(CancellationToken outer) => _link = outer.UnsafeRegister(static s => ((FfmpegCancellation)s!).Cancel(), this);

    public CancellationToken Token => _source.Token;
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <summary>Stops ffmpeg and everything waiting on <see cref="Token"/>, without throwing to the caller.</summary>
    public void Cancel()
    {
        // A thread of its own, not the pool: on 2 cores a busy pool delayed the stop by half a second.
        var thread = new Thread(static s =>
        {
            try { ((CancellationTokenSource)s!).Cancel(); }
            catch (AggregateException) { } // FFMpegCore's handler, when ffmpeg had already gone
            catch (ObjectDisposedException) { } // the run ended first
        }) { IsBackground = true, Name = "ffmpeg cancellation" };
        thread.Start(_source);
    }

    public void Dispose()
    {
        _link.Dispose();
        _source.Dispose();
    }
}
