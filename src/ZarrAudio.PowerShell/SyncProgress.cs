namespace ZarrAudio.PowerShell;

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
