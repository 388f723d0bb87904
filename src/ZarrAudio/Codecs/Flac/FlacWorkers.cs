using System.Collections.Concurrent;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// The process's threads for FLAC runs: one encoder thread per core and one thread that hashes runs in the order they
/// are given. Long-lived, so a card of short files does not start dozens of threads a file (measured: thread starts
/// were as much CPU as libFLAC itself on one-minute files), and not thread-pool work items, which waited for the pool
/// to grow. Run buffers are kept here too, so files do not each allocate their own on the large object heap.
/// </summary>
internal static class FlacWorkers
{
    private static readonly BlockingCollection<Action> Encoding = Start(Math.Max(1, Environment.ProcessorCount), "ZarrAudio FLAC encoder");
    private static readonly BlockingCollection<Action> Hashing = Start(1, "ZarrAudio FLAC MD5");
    private static readonly ConcurrentDictionary<int, ConcurrentBag<int[]>> Buffers = new();

    public static Task<T> EncodeAsync<T>(Func<T> work) => Queue(Encoding, work);

    /// <summary>Runs <paramref name="work"/> after every hash queued before it (one thread, first in first out).</summary>
    public static Task HashAsync(Action work) => Queue(Hashing, () => { work(); return true; });

    public static int[] RentRun(int length) => Buffers.GetOrAdd(length, _ => []).TryTake(out var run) ? run : new int[length];

    /// <summary>Keeps a few buffers of each size for the next run; the rest go to the garbage collector.</summary>
    public static void ReturnRun(int[] run)
    {
        var bag = Buffers.GetOrAdd(run.Length, _ => []);
        if (bag.Count < 2 * Environment.ProcessorCount + 4) bag.Add(run);
    }

    private static Task<T> Queue<T>(BlockingCollection<Action> queue, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    private static BlockingCollection<Action> Start(int threads, string name)
    {
        var queue = new BlockingCollection<Action>();
        for (var i = 0; i < threads; i++)
            new Thread(() => { foreach (var work in queue.GetConsumingEnumerable()) work(); }) { IsBackground = true, Name = name }.Start();
        return queue;
    }
}
