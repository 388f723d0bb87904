namespace ZarrAudio;

/// <summary>
/// IProgress that reports on the calling thread. Progress&lt;T&gt; posts to the thread pool instead: reports then
/// arrive out of order and after the work has ended, when what they touch may already be disposed.
/// </summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
